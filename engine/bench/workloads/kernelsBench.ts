import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { VexError } from '../../errors.js';
import {
  batchTopK,
  bindingRoof,
  distances,
  rooflineFraction,
  measureRoofline,
  pairwise,
  setBackend,
  topK,
  topKAsync,
  type BackendRequest,
  type Metric,
  type Roofline,
  type VectorArray,
} from '../../vector/kernels/index.js';
import { KERNEL_OPS } from './vectorDescriptors.js';
import type { UnitFigureContext, WorkloadContext, WorkloadFigure, WorkloadModule, WorkloadSession } from './types.js';
import { checksumOf, randomBits, randomVectors } from './vectorData.js';

const PAIR_POOL = 256;

type Pairwise = (a: VectorArray, b: VectorArray) => number;

/** A plain TypeScript loop per metric: the floor any kernel must beat. */
function loopPairwise(metric: Metric): Pairwise {
  switch (metric) {
    case 'l2':
      return (a, b) => {
        let s = 0;
        for (let i = 0; i < a.length; i++) {
          const d = (a[i] as number) - (b[i] as number);
          s += d * d;
        }
        return s;
      };
    case 'dot':
      return (a, b) => {
        let s = 0;
        for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
        return -s;
      };
    case 'cosine':
      return (a, b) => {
        let ab = 0;
        let aa = 0;
        let bb = 0;
        for (let i = 0; i < a.length; i++) {
          const x = a[i] as number;
          const y = b[i] as number;
          ab += x * y;
          aa += x * x;
          bb += y * y;
        }
        return aa === 0 || bb === 0 ? (aa === bb ? 0 : 1) : 1 - ab / Math.sqrt(aa * bb);
      };
    case 'manhattan':
      return (a, b) => {
        let s = 0;
        for (let i = 0; i < a.length; i++) s += Math.abs((a[i] as number) - (b[i] as number));
        return s;
      };
    case 'hamming':
      return (a, b) => {
        let s = 0;
        for (let i = 0; i < a.length; i++) {
          let x = (a[i] as number) ^ (b[i] as number);
          while (x !== 0) {
            x &= x - 1;
            s++;
          }
        }
        return s;
      };
  }
}

interface Simsimd {
  sqeuclidean(a: VectorArray, b: VectorArray): number;
  cosine(a: VectorArray, b: VectorArray): number;
  dot(a: VectorArray, b: VectorArray): number;
  hamming(a: VectorArray, b: VectorArray): number;
}

function simsimdPairwise(metric: Metric): Pairwise {
  const s = createRequire(import.meta.url)('simsimd') as Simsimd;
  switch (metric) {
    case 'l2':
      return (a, b) => s.sqeuclidean(a, b);
    case 'cosine':
      return (a, b) => s.cosine(a, b);
    case 'dot':
      return (a, b) => -s.dot(a, b);
    case 'hamming':
      return (a, b) => s.hamming(a, b);
    case 'manhattan':
      return () => {
        throw new VexError('E_UNAVAILABLE', 'simsimd has no manhattan kernel; it is no peer for metric = "manhattan"');
      };
  }
}

/** Top-k by selection over a distance array: what a caller of a pairwise-only library writes. */
function selectTopK(out: Float32Array, k: number): number {
  const best = new Float32Array(k).fill(Infinity);
  for (let i = 0; i < out.length; i++) {
    const d = out[i] as number;
    if (d >= (best[k - 1] as number)) continue;
    let j = k - 1;
    while (j > 0 && (best[j - 1] as number) > d) {
      best[j] = best[j - 1] as number;
      j--;
    }
    best[j] = d;
  }
  return best[0] as number;
}

/**
 * The roofline per trial, shared by the worker's sessions: probed once per trial (after that
 * trial's first timed unit, untimed) so its CI spans trials, and peers are judged against the same roofs.
 */
const trialRooflines = new Map<number, Roofline | null>();
async function trialRoofline(trial: number, backend: BackendRequest, ramBytes: number): Promise<Roofline | null> {
  if (!trialRooflines.has(trial)) {
    // No native kernels (or that backend cannot run here): no roofs, so no roofline fractions.
    const roofline = await measureRoofline({ backend: backend === 'typescript' ? 'auto' : backend, ramBytes }).catch(
      () => null,
    );
    trialRooflines.set(trial, roofline);
  }
  return trialRooflines.get(trial) ?? null;
}

/** Everything derived in figures(): what one op does and the roof that binds it. */
export interface KernelFigure {
  name: string;
  labels: Record<string, string>;
  unit: string;
  value: number;
}

/**
 * Distance kernels per entry point. `vexfs` calls engine/vector/kernels (backend from
 * params.backend, forced for this worker); `simsimd` and `typescript_loop` answer the same ops
 * through a pairwise function called in a loop. An op is one call: a pairwise op computes one
 * distance, distances/topk/topk_async ops `base_vectors` distances, batch_topk `queries` ×
 * `base_vectors`. figures() gives distances per op and, from the roofline probes (run on its first call), the
 * roof that binds each op at its working-set size.
 */
export const kernelsWorkload: WorkloadModule = {
  open: async (context: WorkloadContext): Promise<WorkloadSession> => {
    const metric = String(context.params.metric ?? 'l2') as Metric;
    const dim = Number(context.params.dim ?? 128);
    const baseCount = Math.max(PAIR_POOL, Number(context.params.base_vectors ?? 4096));
    const queries = Number(context.params.queries ?? 16);
    const k = Math.min(Number(context.params.k ?? 10), baseCount);
    const threads = Number(context.params.threads ?? 0) || availableParallelism();
    const backendRequest = String(context.params.backend ?? 'auto') as BackendRequest;
    const backend = context.subject === 'vexfs' ? setBackend(backendRequest) : context.subject;
    const kdim = metric === 'hamming' ? Math.ceil(dim / 8) : dim;
    const make = (count: number, seed: number): VectorArray =>
      metric === 'hamming' ? randomBits(count, kdim, seed) : randomVectors(count, kdim, seed);
    const base = make(baseCount, context.dataset.seed);
    const pool = make(PAIR_POOL + queries, context.dataset.seed + 1);
    const vec = (array: VectorArray, i: number): VectorArray => array.subarray(i * kdim, (i + 1) * kdim);
    const scratch = new Float32Array(baseCount);
    let sink = 0;
    let counter = 0;
    let ops: (() => void | Promise<void>)[];
    if (context.subject === 'vexfs') {
      ops = [
        () =>
          void (sink += pairwise(metric, vec(pool, counter++ & (PAIR_POOL - 1)), vec(base, counter & (PAIR_POOL - 1)))),
        () => void (sink += distances(metric, vec(pool, counter++ & (PAIR_POOL - 1)), base, kdim)[0] as number),
        () => void (sink += topK(metric, vec(pool, counter++ & (PAIR_POOL - 1)), base, kdim, k).distances[0] as number),
        () => void (sink += batchTopK(metric, pool.subarray(0, queries * kdim), base, kdim, k).length),
        async () =>
          void (sink += (await topKAsync(metric, vec(pool, counter++ & (PAIR_POOL - 1)), base, kdim, k, { threads }))
            .indices.length),
      ];
    } else if (context.subject === 'simsimd' || context.subject === 'typescript_loop') {
      const pair = context.subject === 'simsimd' ? simsimdPairwise(metric) : loopPairwise(metric);
      const scan = (q: VectorArray): void => {
        for (let i = 0; i < baseCount; i++) scratch[i] = pair(q, vec(base, i));
      };
      ops = [
        () => void (sink += pair(vec(pool, counter++ & (PAIR_POOL - 1)), vec(base, counter & (PAIR_POOL - 1)))),
        () => scan(vec(pool, counter++ & (PAIR_POOL - 1))),
        () => {
          scan(vec(pool, counter++ & (PAIR_POOL - 1)));
          sink += selectTopK(scratch, k);
        },
        () => {
          for (let q = 0; q < queries; q++) {
            scan(vec(pool, q));
            sink += selectTopK(scratch, k);
          }
        },
        () => {
          throw new VexError('E_UNAVAILABLE', `${context.subject} has no threaded entry point`);
        },
      ];
    } else {
      throw new VexError(
        'E_PROFILE',
        `kernels has no subject '${context.subject}' (known: vexfs, simsimd, typescript_loop)`,
      );
    }
    // Measured on the first figures() call, after the timed units: the probes saturate the core and memory bus.
    let measured: Roofline | null = null;
    const probe = async (): Promise<Roofline | null> => {
      if (context.subject !== 'vexfs' || backend === 'typescript') return null;
      measured ??= await measureRoofline({
        backend: backendRequest,
        ramBytes: Number(context.params.roofline_ram_bytes ?? 128 * 2 ** 20),
      });
      return measured;
    };
    const labels = { backend, metric, dim: String(dim) };
    const perOp = [1, baseCount, baseCount, baseCount * queries, baseCount];
    const vectorBytes = kdim * (metric === 'hamming' ? 1 : 4);
    const workingSets = [2 * PAIR_POOL, baseCount, baseCount, baseCount, baseCount].map((n) => n * vectorBytes);
    // One pass over the base serves every query of a batch: each distance loads 1/queries of a vector.
    const bytesPerDistance = (entry: string): number => (entry === 'batch_topk' ? vectorBytes / queries : vectorBytes);
    const unitFigures = async (unit: UnitFigureContext): Promise<WorkloadFigure[]> => {
      const mix = Object.entries(unit.mix).filter(([op, weight]) => weight > 0 && KERNEL_OPS.includes(op as never));
      const total = mix.reduce((sum, [, weight]) => sum + weight, 0);
      if (mix.length === 0 || total === 0) return [];
      const distPerOp = mix.reduce(
        (sum, [op, w]) => sum + (w / total) * (perOp[KERNEL_OPS.indexOf(op as never)] ?? 0),
        0,
      );
      const entry = mix.length === 1 ? (mix[0]?.[0] as string) : unit.workload;
      const distPerSec = unit.opsPerSec * distPerOp;
      const own = { backend, entry };
      const figures: WorkloadFigure[] = [
        {
          name: `dist_per_s.${metric}.d${dim}`,
          labels: own,
          unit: 'distances/s',
          higherIsBetter: true,
          value: distPerSec,
        },
      ];
      const ramBytes = Number(context.params.roofline_ram_bytes ?? 128 * 2 ** 20);
      const roofline = await trialRoofline(unit.trial, backendRequest, ramBytes);
      if (roofline === null) return figures;
      if (context.subject === 'vexfs') {
        const roofLabels = { backend: backend === 'typescript' ? 'auto' : backend };
        figures.push(
          {
            name: 'roofline.fma_gflops',
            labels: roofLabels,
            unit: 'GFLOP/s',
            higherIsBetter: true,
            value: roofline.fmaGflops,
            trialWide: true,
          },
          {
            name: 'roofline.read_gbps',
            labels: roofLabels,
            unit: 'GB/s',
            higherIsBetter: true,
            value: roofline.ramReadGbps,
            trialWide: true,
          },
        );
      }
      if (mix.length === 1) {
        const index = KERNEL_OPS.indexOf(entry as never);
        const roof = bindingRoof(metric, kdim, workingSets[index] as number, roofline, bytesPerDistance(entry));
        figures.push({
          name: `roofline_fraction.${metric}.d${dim}`,
          labels: { ...own, roof: roof.roof },
          unit: 'fraction',
          higherIsBetter: true,
          value: rooflineFraction(
            distPerSec,
            metric,
            kdim,
            workingSets[index] as number,
            roofline,
            bytesPerDistance(entry),
          ),
        });
      }
      return figures;
    };
    return {
      unitFigures,
      run: (opIndex: number) => (ops[opIndex] as () => void | Promise<void>)(),
      datasetChecksum: checksumOf(base),
      async figures(): Promise<KernelFigure[]> {
        const roofline = await probe();
        const perOp = [1, baseCount, baseCount, baseCount * queries, baseCount];
        const figures: KernelFigure[] = KERNEL_OPS.map((entry, i) => ({
          name: `distances_per_op.${entry}`,
          labels: { ...labels, entry },
          unit: 'distances',
          value: perOp[i] as number,
        }));
        if (roofline !== null) {
          figures.push(
            { name: 'roofline.fma_gflops', labels: { backend }, unit: 'GFLOP/s', value: roofline.fmaGflops },
            { name: 'roofline.read_gbps', labels: { backend }, unit: 'GB/s', value: roofline.ramReadGbps },
            { name: 'roofline.l1_load_gbps', labels: { backend }, unit: 'GB/s', value: roofline.l1LoadGbps },
            { name: 'roofline.l2_load_gbps', labels: { backend }, unit: 'GB/s', value: roofline.l2LoadGbps },
          );
          const bytes = (n: number): number => n * kdim * (metric === 'hamming' ? 1 : 4);
          const workingSets = [
            bytes(2 * PAIR_POOL),
            bytes(baseCount),
            bytes(baseCount),
            bytes(baseCount),
            bytes(baseCount),
          ];
          KERNEL_OPS.forEach((entry, i) => {
            // One pass over the base serves every query of a batch: each distance loads 1/queries of a vector.
            const vectorBytes = kdim * (metric === 'hamming' ? 1 : 4);
            const bytesPerDistance = entry === 'batch_topk' ? vectorBytes / queries : vectorBytes;
            const roof = bindingRoof(metric, kdim, workingSets[i] as number, roofline as Roofline, bytesPerDistance);
            figures.push({
              name: `roof_dist_per_s.${metric}.d${dim}`,
              labels: { ...labels, entry, roof: roof.roof },
              unit: 'distances/s',
              value: roof.distancesPerSec,
            });
          });
        }
        return figures;
      },
      close: async () => {},
    } as WorkloadSession;
  },
};
