import { approximateSize } from './sizes.js';
import type { VexfsConfig } from './schema.js';

/** A problem that only shows when keys are read together. `keys` are in the order to point at. */
export interface CombinationProblem {
  readonly severity: 'error' | 'warning';
  readonly kind: 'combination';
  readonly keys: readonly string[];
  readonly message: string;
}

const BUDGET_KEYS = ['performance.memory_pool_size', 'performance.cache_size', 'search.index_memory_size'] as const;

/**
 * Cross-key checks on an effective config. `isSet` says which keys a file wrote: a problem made
 * only of defaults is not that file's doing and is not reported for it.
 */
export function combinationProblems(
  config: VexfsConfig,
  isSet: (key: string) => boolean,
  totalMemoryBytes: number,
): CombinationProblem[] {
  const problems: CombinationProblem[] = [];
  const ram = `${totalMemoryBytes} bytes of physical memory (${approximateSize(totalMemoryBytes)})`;
  const budgets: Record<(typeof BUDGET_KEYS)[number], number> = {
    'performance.memory_pool_size': config.performance.memory_pool_size,
    'performance.cache_size': config.performance.cache_size,
    'search.index_memory_size': config.search.index_memory_size,
  };
  let anyAlone = false;
  for (const key of BUDGET_KEYS) {
    if (isSet(key) && budgets[key] > totalMemoryBytes) {
      anyAlone = true;
      problems.push({
        severity: 'error',
        kind: 'combination',
        keys: [key],
        message: `${key} is ${budgets[key]} bytes (${approximateSize(budgets[key])}), more than this machine's ${ram}; lower it`,
      });
    }
  }
  const total = BUDGET_KEYS.reduce((sum, key) => sum + budgets[key], 0);
  const setKeys = BUDGET_KEYS.filter(isSet);
  if (!anyAlone && setKeys.length > 0 && total > totalMemoryBytes) {
    problems.push({
      severity: 'error',
      kind: 'combination',
      keys: [...setKeys].reverse(),
      message:
        `memory_pool_size + cache_size + index_memory_size = ${total} bytes (${approximateSize(total)}), ` +
        `more than this machine's ${ram}: the budgets could not all be honoured; lower them`,
    });
  }
  const simdKeys = ['performance.enable_simd', 'optimization.enable_simd_optimization'];
  if (
    config.performance.enable_simd !== config.optimization.enable_simd_optimization &&
    simdKeys.some((key) => isSet(key))
  ) {
    problems.push({
      severity: 'warning',
      kind: 'combination',
      keys: simdKeys.filter(isSet),
      message:
        'performance.enable_simd and optimization.enable_simd_optimization disagree: SIMD kernels run only when both are true, so the scalar kernels will be used',
    });
  }
  if (!config.optimization.enable_memory_optimization) {
    const idle = ['performance.memory_pool_size', 'performance.cache_size', 'cache.max_entry_size'].filter(isSet);
    if (idle.length > 0) {
      problems.push({
        severity: 'warning',
        kind: 'combination',
        keys: idle,
        message: `${idle.join(', ')} ${idle.length === 1 ? 'has' : 'have'} no effect while optimization.enable_memory_optimization = false`,
      });
    }
  }
  return problems;
}
