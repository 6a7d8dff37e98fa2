import type { Profile } from '../profile/schema.js';

/** One measured unit: a trial of one workload on one subject. Units run in order, interleaving subjects by trial. */
export interface PlanUnit {
  trial: number;
  subject: string;
  workload: string;
}

/** What the coordinator hands the worker for one sweep point. */
export interface WorkerPlan {
  profile: Profile;
  units: PlanUnit[];
  /** `--store DIR`, or null for temporary stores under scratchDir. */
  storeDir: string | null;
  scratchDir: string;
  /** Resolved path of an imported dataset file, if the profile names one. */
  datasetFile: string | null;
  /** Per mode, how long the harness self-measurement runs before the units (0: skip). */
  harnessMs: number;
}

export interface UnitOutcome {
  unit: number;
  ops: number;
  errors: number;
  elapsedNs: number;
  late: number;
  dropped: number;
  /** Latency (from the intended start under open load), encoded HDR histogram in ns. */
  histogram: string;
  /** Service time (from the actual start), open load only. */
  serviceHistogram: string | null;
  errorsByCode: Record<string, number>;
  cancelled: boolean;
  /** Per op kind of a mix of several ops: encoded HDR histogram in ns (measurement only). */
  opHistograms: Record<string, string>;
  /** The session's figures for this unit (see WorkloadSession.unitFigures). */
  figures: UnitFigure[];
}

/** A workload figure as sent from the worker: the session's, validated, labels filled in. */
export interface UnitFigure {
  name: string;
  labels: Record<string, string>;
  unit: string;
  higherIsBetter: boolean;
  value: number;
  trialWide: boolean;
}

export type WorkerMessage =
  | { type: 'unit-start'; unit: number }
  | { type: 'unit-done'; outcome: UnitOutcome }
  | { type: 'harness'; perOpNs: number; batchedNs: number }
  | { type: 'dataset'; subject: string; checksum: string | null }
  | { type: 'warning'; kind: 'noise' | 'harness' | 'other'; message: string }
  | { type: 'done'; cancelled: boolean }
  | { type: 'error'; code: string; message: string };
