import { quantile, sortedCopy } from './descriptive.js';

/** The IQR used is at least this fraction of the median. */
export const IQR_FLOOR_FRACTION = 0.02;

/**
 * Tukey's fences: a sample beyond 1.5 IQR from the quartiles is a mild outlier, beyond
 * 3 IQR a severe one. Outliers are reported, never dropped: a slow trial is often the
 * most honest one (GC, another tenant on the machine), and hiding it flatters the result.
 */
export type OutlierClass = 'low severe' | 'low mild' | 'normal' | 'high mild' | 'high severe';

export interface OutlierReport {
  fences: { lowSevere: number; lowMild: number; highMild: number; highSevere: number };
  /** Per input sample, in input order. */
  classes: OutlierClass[];
  mild: number;
  severe: number;
  /** Indices of the samples that are not `normal`. */
  outlierIndices: number[];
}

export function classifyOutliers(values: readonly number[]): OutlierReport {
  const sorted = sortedCopy(values);
  const q1 = quantile(sorted, 0.25);
  const q3 = quantile(sorted, 0.75);
  // A floor on the IQR: quantized samples (latency percentiles read from histogram buckets)
  // often have IQR 0, which would make every one-bucket step a "severe" outlier.
  const iqr = Math.max(q3 - q1, IQR_FLOOR_FRACTION * Math.abs(quantile(sorted, 0.5)));
  const fences = {
    lowSevere: q1 - 3 * iqr,
    lowMild: q1 - 1.5 * iqr,
    highMild: q3 + 1.5 * iqr,
    highSevere: q3 + 3 * iqr,
  };
  let mild = 0;
  let severe = 0;
  const outlierIndices: number[] = [];
  const classes = values.map((v, i): OutlierClass => {
    let c: OutlierClass = 'normal';
    if (v < fences.lowSevere) c = 'low severe';
    else if (v < fences.lowMild) c = 'low mild';
    else if (v > fences.highSevere) c = 'high severe';
    else if (v > fences.highMild) c = 'high mild';
    if (c.endsWith('mild')) mild++;
    if (c.endsWith('severe')) severe++;
    if (c !== 'normal') outlierIndices.push(i);
    return c;
  });
  return { fences, classes, mild, severe, outlierIndices };
}

/** One warning sentence for a metric's samples, or null when no sample lies outside the fences. */
export function outlierWarning(label: string, values: readonly number[]): string | null {
  if (values.length < 4) return null;
  const report = classifyOutliers(values);
  if (report.mild + report.severe === 0) return null;
  const which = report.outlierIndices
    .map((i) => `#${i + 1} (${Number((values[i] as number).toPrecision(4))}, ${report.classes[i]})`)
    .join(', ');
  return (
    `${label}: ${report.mild + report.severe} of ${values.length} samples are outliers by Tukey's fences ` +
    `(${report.mild} mild, ${report.severe} severe): ${which}. They are kept in the statistics.`
  );
}
