import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { VexError } from '../../errors.js';
import { metricKey } from '../compare/match.js';
import { parseProfileToml } from '../profile/load.js';
import { parseValue, type Override } from '../profile/overrides.js';
import { LatencyHistogram } from '../../metrics/histogram.js';
import type { BenchResult, LatencySummary, Metric } from '../result.js';
import { bootstrapCi, mean } from '../stats/index.js';

/**
 * An A/B variant: `key=value,key=value` changes to the profile (e.g. `store.cache_pages=64`),
 * or a TOML file whose tables are laid over the profile (e.g. a `[store]` table).
 */
export function parseVariant(spec: string, cwd: string, flag: string): Override[] {
  if (spec.endsWith('.toml')) {
    const path = resolve(cwd, spec);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      throw new VexError('E_USAGE', `${flag} ${spec}: the file ${path} cannot be read.`);
    }
    const overrides: Override[] = [];
    const walk = (value: unknown, prefix: string): void => {
      if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)) {
        for (const [k, v] of Object.entries(value)) walk(v, prefix ? `${prefix}.${k}` : k);
      } else {
        overrides.push({ key: prefix, value, flag: `${flag} ${spec} (${prefix})` });
      }
    };
    walk(parseProfileToml(text, path), '');
    if (overrides.length === 0) throw new VexError('E_USAGE', `${flag} ${spec} sets nothing.`);
    return overrides;
  }
  const pairs = spec.split(',').map((p) => p.trim());
  return pairs.map((pair) => {
    const at = pair.indexOf('=');
    const key = at > 0 ? pair.slice(0, at).trim() : '';
    if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(key) || at === pair.length - 1) {
      throw new VexError(
        'E_USAGE',
        `${flag} '${spec}' is malformed: write key=value[,key=value] (e.g. store.cache_pages=64) or a .toml file.`,
      );
    }
    return { key, value: parseValue(pair.slice(at + 1).trim()), flag: `${flag} ${pair}` };
  });
}

/** The order of the two sides in pair i: AB, BA, AB, … so a linear drift favours neither. */
export function pairOrder(index: number): ['a', 'b'] | ['b', 'a'] {
  return index % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
}

/**
 * One summary per (op, subject, labels) from several runs' summaries: the histograms are merged
 * and the percentiles recomputed. Service time is kept only for a single run: a p99 cannot be merged.
 */
function mergeLatencies(summaries: readonly LatencySummary[]): LatencySummary[] {
  const groups = new Map<string, LatencySummary[]>();
  for (const s of summaries) {
    const key = `${s.subject}:${s.op}:${metricKey({ subject: s.subject, name: s.op, labels: s.labels })}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0] as LatencySummary;
    if (group.length === 1) return first;
    const merged = new LatencyHistogram('ns');
    for (const s of group) merged.merge(LatencyHistogram.decode(s.histogram, 'ns'));
    const u = merged.summaryUs();
    return {
      op: first.op,
      subject: first.subject,
      labels: first.labels,
      count: u.count,
      mean_us: u.mean,
      p50_us: u.p50,
      p90_us: u.p90,
      p99_us: u.p99,
      p999_us: u.p999,
      max_us: u.max,
      histogram: merged.encode(),
    };
  });
}

/**
 * Joins single-trial runs of one side into one result whose metrics hold one sample per
 * trial, in pair order — what the paired analysis needs. The first run provides the header.
 */
export function mergeTrialResults(runs: readonly BenchResult[]): BenchResult {
  const first = runs[0];
  if (!first) throw new VexError('E_INTERNAL', 'No trial runs to merge.');
  const byKey = new Map<string, { metric: Metric; samples: number[] }>();
  for (const run of runs) {
    for (const metric of run.metrics) {
      const key = metricKey(metric);
      const entry = byKey.get(key) ?? { metric, samples: [] };
      entry.samples.push(...metric.samples);
      byKey.set(key, entry);
    }
  }
  const metrics = [...byKey.values()].map(({ metric, samples }) => {
    const ci = bootstrapCi(samples, mean, { seed: 0x5eed });
    return { ...metric, value: ci.estimate, ci95: [ci.lower, ci.upper] as [number, number], samples };
  });
  const status = runs.every((r) => r.status === 'complete')
    ? 'complete'
    : runs.some((r) => r.status === 'failed')
      ? 'failed'
      : 'cancelled';
  return {
    ...first,
    ended_at: runs.at(-1)?.ended_at ?? first.ended_at,
    status,
    metrics,
    latencies: mergeLatencies(runs.flatMap((r) => r.latencies)),
    timeseries: runs.flatMap((r) => r.timeseries),
    errors: runs.reduce<Record<string, number>>((all, r) => {
      for (const [code, count] of Object.entries(r.errors)) all[code] = (all[code] ?? 0) + count;
      return all;
    }, {}),
    warnings: runs.flatMap((r) => r.warnings),
  };
}
