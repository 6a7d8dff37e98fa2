import { existsSync, statSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { locatePath } from '../profile/locate.js';
import { VexError } from '../../errors.js';
import type { LoadedProfile } from '../profile/load.js';
import { validateProfile, parseProfileToml } from '../profile/load.js';
import { sweepLabels, sweepPoints, type Override, type Sweep } from '../profile/overrides.js';
import type { Profile, Span } from '../profile/schema.js';
import { getWorkload } from '../workloads/registry.js';
import type { PlanUnit } from './protocol.js';
import { planQuick } from './quickPlan.js';

/** How a run was asked for: enough to repeat it exactly (`vexctl bench rerun`). */
export interface RunRequest {
  loaded: LoadedProfile;
  quick: boolean;
  sweeps: Sweep[];
  /** `--trials N`, or null for the profile's. */
  trials: number | null;
  /** Further changes (an A/B variant's settings), applied before the sweep's. */
  overrides?: Override[];
}

/** One sweep point: its effective profile, its labels and its units in run order. */
export interface PlannedPoint {
  profile: Profile;
  labels: Record<string, string>;
  subjects: string[];
  units: PlanUnit[];
  datasetFile: string | null;
  /** What --quick scaled down at this point (empty without --quick). */
  quickScaled: string[];
}

function spanEstimateMs(span: Span): number {
  return span.duration_ms ?? span.max_duration_ms ?? 0;
}

/** Units interleave subjects within a trial, so machine drift hits every subject alike. */
export function planUnits(profile: Profile, subjects: readonly string[]): PlanUnit[] {
  const units: PlanUnit[] = [];
  for (let trial = 0; trial < profile.trials; trial++) {
    for (const subject of subjects) {
      for (const workload of profile.workloads) units.push({ trial, subject, workload: workload.name });
    }
  }
  return units;
}

export function planRun(request: RunRequest): PlannedPoint[] {
  const { loaded } = request;
  const raw = parseProfileToml(loaded.text, loaded.origin);
  const trialsOverride: Override[] =
    request.trials === null ? [] : [{ key: 'trials', value: request.trials, flag: `--trials ${request.trials}` }];
  const points = sweepPoints(request.sweeps);
  return points.map((point) => {
    let profile = validateProfile(raw, loaded.text, loaded.origin, [
      ...trialsOverride,
      ...(request.overrides ?? []),
      ...point,
    ]);
    const subjects = [...(profile.subjects ?? getWorkload(profile.module).defaultSubjects)];
    let quickScaled: string[] = [];
    if (request.quick) {
      const quick = planQuick({ profile, subjects, sweepPointCount: points.length, explicitTrials: request.trials });
      profile = quick.profile;
      quickScaled = quick.scaled;
    }
    const datasetFile =
      profile.dataset.file === undefined
        ? null
        : resolve(loaded.origin.startsWith('<') ? process.cwd() : dirname(loaded.origin), profile.dataset.file);
    if (datasetFile !== null && !(existsSync(datasetFile) && statSync(datasetFile).isFile())) {
      const { line, column } = locatePath(loaded.text, ['dataset', 'file']);
      throw new VexError(
        'E_PROFILE',
        `The profile ${loaded.origin} is invalid; fix it and run again:\n  ${loaded.origin}:${line}:${column}: dataset.file: ${datasetFile} does not exist or is not a file`,
      );
    }
    return {
      profile,
      labels: sweepLabels(point),
      subjects,
      units: planUnits(profile, subjects),
      datasetFile,
      quickScaled,
    };
  });
}

/** The planned warmup + measurement time of a point, for the ETA (op-count phases without a cap count as 0). */
export function plannedMs(point: PlannedPoint): number {
  const { profile } = point;
  return point.units.length * (spanEstimateMs(profile.warmup) + spanEstimateMs(profile.measure));
}

export function checkTrials(value: string): number {
  const trials = Number(value);
  if (!Number.isInteger(trials) || trials < 1 || trials > 1000) {
    throw new VexError('E_USAGE', `--trials '${value}' is invalid: give a whole number from 1 to 1000.`);
  }
  return trials;
}
