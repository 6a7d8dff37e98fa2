import type { Metric, Warning } from '../result.js';
import type { Profile } from '../profile/schema.js';

/** The profile's pass/fail thresholds checked against the run's metrics; one warning per failure. */
export function checkThresholds(thresholds: Profile['thresholds'], metrics: readonly Metric[]): Warning[] {
  const warnings: Warning[] = [];
  for (const threshold of thresholds) {
    const matching = metrics.filter(
      (m) =>
        m.name === threshold.metric &&
        (threshold.subject === undefined || m.subject === threshold.subject) &&
        Object.entries(threshold.labels ?? {}).every(([k, v]) => m.labels[k] === v),
    );
    if (matching.length === 0) {
      warnings.push({
        kind: 'threshold',
        message: `Threshold on ${threshold.metric}: no such metric was measured, so it failed.`,
      });
      continue;
    }
    for (const m of matching) {
      const labels = Object.entries(m.labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      const what = `${m.name}${labels ? `{${labels}}` : ''} (${m.subject}) = ${Number(m.value.toPrecision(4))} ${m.unit}`;
      if (threshold.min !== undefined && m.value < threshold.min) {
        warnings.push({
          kind: 'threshold',
          message: `Threshold failed: ${what} is below the minimum ${threshold.min}.`,
        });
      }
      if (threshold.max !== undefined && m.value > threshold.max) {
        warnings.push({
          kind: 'threshold',
          message: `Threshold failed: ${what} is above the maximum ${threshold.max}.`,
        });
      }
    }
  }
  return warnings;
}
