// Machine limits measured in the same run as the kernels they judge (no figure is ever assumed):
// FMA peak, load throughput from L1 and L2, and single-core read bandwidth from RAM. The probes are
// native (they must use the same instructions as the kernels) and run off the event loop. Each figure is the
// best of many ~1 ms rounds (16 MiB chunks for RAM) within a fixed budget (0.15 s FMA, 0.1 s per cache level,
// 0.25 s RAM): on a shared machine the best short round is the one that had the core to itself. Mapping the
// RAM buffer (1 GiB by default here) comes on top and takes from 0.5 s to a few seconds on a busy machine.
import { VexError } from '../../errors.js';
import { capabilities } from './backend.js';
import { loadNativeKernels } from './nativeLoader.js';
import type { BackendRequest, Metric, NativeRoofline } from './types.js';

export type Roofline = NativeRoofline;

/**
 * FLOPs per dimension each float kernel does, as counted for roofline fractions:
 * dot = multiply + add; l2 = subtract + multiply + add; cosine = three multiply-adds (a.b, a.a, b.b);
 * manhattan = subtract + absolute value + add. Hamming does no floating point and is judged by bytes only.
 */
export const flopsPerDimension: Readonly<Record<Metric, number>> = {
  dot: 2,
  l2: 3,
  cosine: 6,
  manhattan: 3,
  hamming: 0,
};

export interface RooflineOptions {
  /** Backend whose instructions the probes use; default the best this CPU runs. */
  backend?: BackendRequest;
  /** Size of the RAM probe's buffer; default max(4 x reported LLC, 256 MiB), at most 1 GiB. */
  ramBytes?: number;
}

export async function measureRoofline(options: RooflineOptions = {}): Promise<Roofline> {
  const backend = options.backend ?? 'auto';
  if (backend === 'typescript') {
    throw new VexError('E_INVALID', 'the roofline probes are native; choose auto or a native backend');
  }
  const ramBytes = options.ramBytes ?? 0;
  if (!Number.isSafeInteger(ramBytes) || ramBytes < 0 || (ramBytes > 0 && ramBytes < 1 << 20) || ramBytes > 2 ** 34) {
    throw new VexError('E_INVALID', `ramBytes must be 0 (automatic) or from 1 MiB to 16 GiB; got ${String(ramBytes)}`);
  }
  const load = loadNativeKernels();
  if (load.binding === null) {
    throw new VexError('E_UNAVAILABLE', `roofline probes need the native kernels, but ${load.error}`);
  }
  if (backend !== 'auto' && !capabilities().available.includes(backend)) {
    throw new VexError(
      'E_CONFIG',
      `backend ${backend} cannot run on this CPU; available: ${capabilities().available.join(', ')}`,
    );
  }
  try {
    return await load.binding.roofline(backend, ramBytes);
  } catch (cause) {
    throw new VexError('E_INTERNAL', cause instanceof Error ? cause.message : String(cause));
  }
}

export type RoofName = 'fma' | 'l1' | 'l2' | 'ram';

export interface BindingRoof {
  roof: RoofName;
  /** The most distances per second that roof allows. */
  distancesPerSec: number;
}

/**
 * The roof that binds a kernel: the lowest of its FMA-rate limit and the load limit of the memory level its
 * working set fits in (L1, L2, else RAM: an L3-resident set is judged against RAM bandwidth, the probe set
 * has no L3 level). `bytesPerDistance` defaults to one stored vector (the query stays in cache).
 */
export function bindingRoof(
  metric: Metric,
  dim: number,
  workingSetBytes: number,
  roofline: Roofline,
  bytesPerDistance = dim * (metric === 'hamming' ? 1 : 4),
): BindingRoof {
  const fitsL1 =
    roofline.l1CacheBytes > 0 ? workingSetBytes <= roofline.l1CacheBytes : workingSetBytes <= roofline.l1Bytes;
  const fitsL2 =
    roofline.l2CacheBytes > 0 ? workingSetBytes <= roofline.l2CacheBytes : workingSetBytes <= roofline.l2Bytes;
  const [memoryRoof, gbps]: [RoofName, number] = fitsL1
    ? ['l1', roofline.l1LoadGbps]
    : fitsL2
      ? ['l2', roofline.l2LoadGbps]
      : ['ram', roofline.ramReadGbps];
  const memoryLimit = (gbps * 1e9) / bytesPerDistance;
  const flops = flopsPerDimension[metric] * dim;
  const computeLimit = flops > 0 ? (roofline.fmaGflops * 1e9) / flops : Number.POSITIVE_INFINITY;
  return computeLimit < memoryLimit
    ? { roof: 'fma', distancesPerSec: computeLimit }
    : { roof: memoryRoof, distancesPerSec: memoryLimit };
}

/** A measured rate as a fraction of the roof that binds it. */
export function rooflineFraction(
  measuredDistancesPerSec: number,
  metric: Metric,
  dim: number,
  workingSetBytes: number,
  roofline: Roofline,
  bytesPerDistance?: number,
): number {
  return (
    measuredDistancesPerSec / bindingRoof(metric, dim, workingSetBytes, roofline, bytesPerDistance).distancesPerSec
  );
}
