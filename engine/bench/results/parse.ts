import { readFileSync } from 'node:fs';
import { VexError } from '../../errors.js';
import { extractEmbeddedJson, type EmbeddedRole } from '../report/embed.js';
import { benchResultSchema, RESULT_SCHEMA_ID, type BenchResult } from '../result.js';

/** Units whose values are counts, rates, durations or sizes: a negative one is a bug upstream. */
const NON_NEGATIVE_UNITS = new Set(['ops/s', 'ops', 'ns', 'us', 'µs', 'ms', 's', 'bytes', 'count', 'errors', 'recall']);

function fail(source: string, what: string): never {
  throw new VexError('E_RESULT', `${source} ${what}`, { source });
}

/**
 * Parses and validates a result from JSON text or from a report.md with the result
 * embedded. `source` names the file in every error sentence.
 */
export function parseResultText(input: string, source: string, role: EmbeddedRole = 'result'): BenchResult {
  // Editors on some systems add a byte-order mark; JSON.parse rejects it.
  const text = input.replace(/^\uFEFF/, '');
  let json = text;
  if (!text.trimStart().startsWith('{')) {
    const embedded = extractEmbeddedJson(text, role);
    if (embedded === null) {
      fail(
        source,
        `is neither result JSON nor a report with an embedded ${role} JSON block (vexfs-bench:${role} markers).`,
      );
    }
    json = embedded;
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    fail(source, `is not valid JSON (${(error as Error).message}); the file may be truncated. Re-run or restore it.`);
  }
  return validateResult(value, source);
}

export function validateResult(value: unknown, source: string): BenchResult {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(source, 'does not hold a JSON object.');
  const schema = (value as Record<string, unknown>).schema;
  if (schema !== RESULT_SCHEMA_ID) {
    fail(source, `has schema ${JSON.stringify(schema)}, but this version reads only "${RESULT_SCHEMA_ID}" results.`);
  }
  const parsed = benchResultSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    const more = parsed.error.issues.length > 5 ? ` (and ${parsed.error.issues.length - 5} more)` : '';
    fail(source, `is not a valid ${RESULT_SCHEMA_ID} result: ${issues}${more}.`);
  }
  checkSemantics(parsed.data, source);
  return parsed.data;
}

/** What the schema cannot say: signs by unit, ordered intervals, real timestamps. */
function checkSemantics(result: BenchResult, source: string): void {
  result.metrics.forEach((metric, i) => {
    const where = `metrics.${i} (${metric.name})`;
    if (metric.ci95[0] > metric.ci95[1])
      fail(source, `has ${where} with ci95 [${metric.ci95.join(', ')}] whose low end exceeds its high end.`);
    if (NON_NEGATIVE_UNITS.has(metric.unit)) {
      const negative = [metric.value, ...metric.ci95, ...metric.samples].find((v) => v < 0);
      if (negative !== undefined)
        fail(source, `has ${where} in ${metric.unit} with the negative value ${negative}; it cannot be below 0.`);
    }
  });
  result.latencies.forEach((latency, i) => {
    const fields = ['mean_us', 'p50_us', 'p90_us', 'p99_us', 'p999_us', 'max_us'] as const;
    for (const field of fields) {
      if (latency[field] < 0)
        fail(
          source,
          `has latencies.${i} (${latency.op}) with ${field} = ${latency[field]}; latencies cannot be negative.`,
        );
    }
  });
  result.timeseries.forEach((sample, i) => {
    for (const [field, v] of Object.entries(sample)) {
      if (typeof v === 'number' && v < 0) fail(source, `has timeseries.${i}.${field} = ${v}; it cannot be negative.`);
    }
  });
  for (const field of ['started_at', 'ended_at'] as const) {
    if (Number.isNaN(Date.parse(result[field]))) fail(source, `has ${field} "${result[field]}", which is not a date.`);
  }
}

export function loadResultFile(path: string, role: EmbeddedRole = 'result'): BenchResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') fail(path, 'does not exist.');
    if (code === 'EISDIR') fail(path, 'is a directory, not a result file.');
    fail(path, `cannot be read (${(error as Error).message}).`);
  }
  if (text.length === 0) fail(path, 'is empty; the run that wrote it may have been interrupted.');
  return parseResultText(text, path, role);
}
