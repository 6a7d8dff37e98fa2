// Chooses the kernels once (native addon or TypeScript fallback) and keeps the choice.
// Order of authority: setBackend()/setSimdEnabled() calls, then VEXFS_SIMD, then the best the CPU runs.
import { VexError } from '../../errors.js';
import { fallbackKernels } from './fallback.js';
import { loadNativeKernels } from './nativeLoader.js';
import {
  backendRequests,
  type BackendName,
  type BackendRequest,
  type CpuFeatures,
  type NativeBackend,
  type RawKernels,
} from './types.js';

export type SelectedBy = 'auto' | 'VEXFS_SIMD' | 'setBackend' | 'enable_simd';

interface Selection {
  raw: RawKernels;
  backend: BackendName;
  selectedBy: SelectedBy;
}

export interface KernelCapabilities {
  /** The backend every kernel call uses now. */
  backend: BackendName;
  selectedBy: SelectedBy;
  /** Backends this process can switch to: the native ones this CPU runs, then `typescript`. */
  available: BackendName[];
  native: {
    loaded: boolean;
    path: string | null;
    /** Why the addon is not in use, when it is not. */
    error: string | null;
    arch: string | null;
    cpu: CpuFeatures | null;
  };
}

let selection: Selection | undefined;

function select(request: BackendRequest, selectedBy: SelectedBy): Selection {
  if (request === 'typescript') return { raw: fallbackKernels, backend: 'typescript', selectedBy };
  const load = loadNativeKernels();
  if (load.binding === null) {
    if (request === 'auto') return { raw: fallbackKernels, backend: 'typescript', selectedBy };
    throw new VexError('E_CONFIG', `the ${request} kernels are native, but ${load.error}`);
  }
  try {
    return { raw: load.binding, backend: load.binding.setBackend(request), selectedBy };
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const source = selectedBy === 'VEXFS_SIMD' ? `VEXFS_SIMD=${request}` : `backend ${request}`;
    throw new VexError('E_CONFIG', `${source} cannot be used: ${reason}`);
  }
}

function fromEnvironment(): Selection {
  const value = process.env.VEXFS_SIMD;
  if (value === undefined || value === '' || value === 'auto') return select('auto', 'auto');
  if (!(backendRequests as readonly string[]).includes(value)) {
    throw new VexError('E_CONFIG', `VEXFS_SIMD=${value} is not one of ${backendRequests.join(', ')}; fix or unset it`);
  }
  return select(value as BackendRequest, 'VEXFS_SIMD');
}

/** The kernels in use, chosen on first call (not on import, so importing never prints or throws). */
export function activeKernels(): RawKernels {
  selection ??= fromEnvironment();
  return selection.raw;
}

/** Forces a backend for this process; 'auto' picks the best this CPU runs. Returns the backend now in use. */
export function setBackend(request: BackendRequest): BackendName {
  if (!(backendRequests as readonly string[]).includes(request)) {
    throw new VexError('E_INVALID', `backend must be one of ${backendRequests.join(', ')}; got ${String(request)}`);
  }
  selection = select(request, 'setBackend');
  return selection.backend;
}

/**
 * The engine's `enable_simd` setting: false runs the scalar native kernels (the TypeScript ones when the addon
 * is missing); true returns to VEXFS_SIMD or automatic choice.
 */
export function setSimdEnabled(enabled: boolean): BackendName {
  if (enabled) {
    selection = fromEnvironment();
  } else {
    const native = loadNativeKernels().binding !== null;
    selection = select(native ? 'scalar' : 'typescript', 'enable_simd');
  }
  return selection.backend;
}

export function capabilities(): KernelCapabilities {
  activeKernels();
  const current = selection as Selection;
  const load = loadNativeKernels();
  const native = load.binding?.capabilities() ?? null;
  const available: BackendName[] = [...((native?.available ?? []) as NativeBackend[]), 'typescript'];
  return {
    backend: current.backend,
    selectedBy: current.selectedBy,
    available,
    native: {
      loaded: load.binding !== null,
      path: load.path,
      error: load.error,
      arch: native?.arch ?? null,
      cpu: native?.cpu ?? null,
    },
  };
}

/** One line for the engine to log once at start: which kernels run and why. */
export function backendSummary(): string {
  const caps = capabilities();
  const how = caps.selectedBy === 'auto' ? 'chosen from the CPU' : `forced by ${caps.selectedBy}`;
  if (caps.backend === 'typescript') {
    const why = caps.native.error === null ? how : `${how}; ${caps.native.error}`;
    return `vector kernels: typescript fallback (${why})`;
  }
  return `vector kernels: native ${caps.backend} on ${caps.native.arch ?? 'unknown'} (${how}; this CPU runs ${caps.available.join(', ')})`;
}

let logged = false;

/** Writes backendSummary() through `log` the first time it is called in this process, and never again. */
export function logBackendOnce(log: (line: string) => void): void {
  if (logged) return;
  logged = true;
  log(backendSummary());
}
