import type { Metric } from '../result.js';
import { bootstrapCi, mean } from '../stats/index.js';

/** A result metric from per-trial samples: the mean with a bootstrap 95% CI (fixed seed, so results repeat). */
export function metric(
  name: string,
  subject: string,
  labels: Record<string, string>,
  unit: string,
  higherIsBetter: boolean,
  samples: number[],
  primary: readonly string[],
): Metric {
  const ci = bootstrapCi(samples, mean, { seed: 0x5eed });
  return {
    name,
    labels,
    unit,
    higher_is_better: higherIsBetter,
    primary: primary.includes(name),
    subject,
    value: ci.estimate,
    ci95: [ci.lower, ci.upper],
    samples,
  };
}
