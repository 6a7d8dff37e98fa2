import type { z } from 'zod';

/** What a workload session is opened with, inside the benchmark worker. */
export interface WorkloadContext {
  /** `vexfs` or the name of a peer measured in the same run (e.g. `memfs`, `node_fs`). */
  readonly subject: string;
  /** The profile's dataset: a generator with size/dim/seed, or an imported file. */
  readonly dataset: DatasetSpec;
  /** Store configuration overrides from the profile's `[store]` table. */
  readonly storeConfig: Readonly<Record<string, unknown>>;
  /** Workload parameters from the profile's `[params]` table, already validated by the descriptor. */
  readonly params: Readonly<Record<string, unknown>>;
  /** `--store DIR`, or null for a temporary store under `scratchDir`. */
  readonly storeDir: string | null;
  /** A directory of this run's own, removed when the run ends. */
  readonly scratchDir: string;
}

export interface DatasetSpec {
  readonly generator: string | null;
  readonly file: string | null;
  readonly size: number;
  readonly dim: number;
  readonly seed: number;
}

/**
 * One subject's open workload. `run(i)` performs op number `i` of the descriptor's `ops`;
 * a synchronous op returns undefined, an asynchronous one a promise that settles when the
 * op is acknowledged. The runner times around `run`, so a session does no timing itself.
 */
export interface WorkloadSession {
  run(opIndex: number): void | Promise<void>;
  /** Restores the working set (e.g. refills files consumed by unlink); called between chunks, untimed. */
  maintain?(): void | Promise<void>;
  /** Closes and reopens the subject so that the next trial starts cold. */
  reopen?(): Promise<void>;
  /** A checksum of the dataset as loaded, for the environment fingerprint. */
  readonly datasetChecksum: string | null;
  /**
   * Figures the runner cannot compute itself (distances per second, queries per second, hit rates,
   * pool counters), asked for after each measured unit, untimed. The runner records one sample per
   * unit and bootstraps each figure's CI across trials, like ops/s.
   */
  unitFigures?(unit: UnitFigureContext): readonly WorkloadFigure[] | Promise<readonly WorkloadFigure[]>;
  close(): Promise<void>;
}

/** What the runner tells `unitFigures()` about the unit that just finished its measurement. */
export interface UnitFigureContext {
  /** The profile's workload name (a `[[workloads]]` entry). */
  readonly workload: string;
  /** Its mix: op name to weight. */
  readonly mix: Readonly<Record<string, number>>;
  readonly trial: number;
  /** Successful ops of the measurement and their throughput. */
  readonly ops: number;
  readonly opsPerSec: number;
}

/** One named figure of one unit; becomes a result metric `{ name, labels, unit, higher_is_better, … }`. */
export interface WorkloadFigure {
  /** Dotted lower-case words, e.g. `dist_per_s.l2.d128`. */
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly unit: string;
  readonly higherIsBetter: boolean;
  readonly value: number;
  /**
   * A property of the trial rather than of the unit (e.g. the roofline, probed once per trial):
   * its units' values are averaged into the trial's sample. Otherwise a figure describes its unit,
   * and where several workloads report the same figure, each keeps a `workload` label.
   */
  readonly trialWide?: boolean;
}

export interface WorkloadModule {
  open(context: WorkloadContext): Promise<WorkloadSession>;
}

/** The registry's light description of a workload; the implementation is loaded on demand in the worker. */
export interface WorkloadDescriptor {
  readonly name: string;
  readonly description: string;
  readonly ops: readonly string[];
  readonly subjects: readonly string[];
  readonly defaultSubjects: readonly string[];
  /** Validates the profile's `[params]` table (unknown keys refused). */
  readonly paramsSchema: z.ZodType<Record<string, unknown>>;
  /** Validates the profile's `[store]` overrides; absent: the workload uses no store, so the table must be empty. */
  readonly storeSchema?: z.ZodType<Record<string, unknown>>;
  /** Untimed work per trial outside the phases (e.g. roofline probes in `unitFigures`), for the --quick budget. */
  readonly untimedMsPerTrial?: number;
  load(): Promise<WorkloadModule>;
}
