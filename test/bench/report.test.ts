import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { analyzePaired, calibrateResult, compareResults } from '../../engine/bench/compare/index.js';
import {
  buildReport,
  formatCalibrationText,
  formatComparisonText,
  formatPairedText,
  latencyCurve,
  renderReport,
  SEED_LABEL,
} from '../../engine/bench/report/index.js';
import { loadResultFile } from '../../engine/bench/results/index.js';
import { isVexError } from '../../engine/errors.js';
import { syntheticResult } from './fixtures/syntheticResult.js';

const root = mkdtempSync(join(tmpdir(), 'vexfs-report-test-'));
after(() => rmSync(root, { recursive: true, force: true }));

/**
 * A small XML well-formedness check without a DOM: one root element, every tag closed in
 * order, attributes quoted and unique, only the five predefined entities or numeric ones,
 * no stray '<' or '&' in text.
 */
function assertWellFormedXml(xml: string, what: string): void {
  const body = xml.replace(/^<\?xml[^>]*\?>\s*/, '').trim();
  const stack: string[] = [];
  let roots = 0;
  let pos = 0;
  const fail = (why: string): never => assert.fail(`${what} is not well-formed at ${pos}: ${why}`);
  const checkText = (text: string): void => {
    if (/<|&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(text))
      fail(`bad text ${JSON.stringify(text.slice(0, 40))}`);
  };
  while (pos < body.length) {
    const open = body.indexOf('<', pos);
    const text = body.slice(pos, open < 0 ? body.length : open);
    if (stack.length === 0 && text.trim()) fail('text outside the root element');
    checkText(text);
    if (open < 0) break;
    pos = open;
    if (body.startsWith('<!--', pos)) {
      const end = body.indexOf('-->', pos);
      if (end < 0) fail('unclosed comment');
      pos = end + 3;
      continue;
    }
    const close = body.indexOf('>', pos);
    if (close < 0) fail('unclosed tag');
    const tag = body.slice(pos + 1, close);
    pos = close + 1;
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      if (stack.pop() !== name) fail(`</${name}> does not close the open element`);
      continue;
    }
    const selfClosing = tag.endsWith('/');
    const match = /^([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_:][\w:.-]*="[^"<]*")*)\s*\/?$/.exec(tag);
    if (!match) fail(`malformed tag <${tag.slice(0, 60)}>`);
    const names = [...(match?.[2] ?? '').matchAll(/([A-Za-z_:][\w:.-]*)="([^"]*)"/g)].map((m) => {
      checkText(m[2] as string);
      return m[1];
    });
    if (new Set(names).size !== names.length) fail(`duplicate attribute in <${match?.[1]}>`);
    if (stack.length === 0) roots++;
    if (!selfClosing) stack.push(match?.[1] as string);
  }
  if (stack.length) fail(`unclosed <${stack.join('>, <')}>`);
  assert.equal(roots, 1, `${what} must have exactly one root element`);
}

const SECTIONS = [
  '# Benchmark report: ',
  '## Summary',
  '## Metrics',
  '## Latency percentiles (µs)',
  '## Charts',
  '## Environment',
  '## Config diff',
  '## Warnings',
  '## Reproduce',
  '## Result data',
];

describe('markdown report', () => {
  const base = syntheticResult({ id: 'base-run', seed: 1 });
  const current = syntheticResult({
    id: 'current-run',
    seed: 2,
    throughputFactor: 0.9,
    config: { performance: { cache_mb: 32, ack: 'committed' } },
  });

  it('has every section, the verdict table, config diff and exact commands', () => {
    const { markdown, comparison } = buildReport(current, { baseline: base, compare: { resamples: 2000 } });
    for (const heading of SECTIONS) assert.ok(markdown.includes(heading), `missing ${heading}`);
    assert.match(markdown, /\| Metric \| Baseline \| Current \| Change \[95% CI\] \| p \(Holm\) \| Verdict \|/);
    assert.match(markdown, /\*\*vexfs:ops_per_s\.mixed\*\* \| [\d,]+ ops\/s \| [\d,]+ ops\/s \| -\d+\.\d\d% \[/);
    assert.match(markdown, /Gate \(`--fail-on-regression`, primary\): \*\*fails: vexfs:ops_per_s\.mixed\*\*/);
    assert.match(markdown, /\| performance\.cache_mb \| 64 \| 32 \|/);
    assert.ok(markdown.includes('vexctl bench run fs-ops'));
    assert.ok(markdown.includes('vexctl bench rerun current-run'));
    assert.ok(markdown.includes('vexctl bench compare base-run current-run'));
    assert.ok(markdown.includes('| create | 5,000 |'));
    assert.ok(markdown.includes('Harness cost batched | 12 ns/op'));
    assert.ok(comparison);
    assert.ok(!markdown.includes(SEED_LABEL), 'fs-ops is not a seed headline category');
  });

  it('without a baseline says how to get a verdict and still warns about noise and outliers', () => {
    const noisy = syntheticResult({ id: 'noisy', seed: 3, cv: 0.2 });
    const { markdown, comparison } = buildReport(noisy);
    assert.equal(comparison, undefined);
    for (const heading of SECTIONS) assert.ok(markdown.includes(heading), `missing ${heading}`);
    assert.match(markdown, /No baseline given/);
    assert.match(markdown, /- noise: vexfs:ops_per_s\.mixed varies/);
  });

  it('writes report.md and well-formed SVG charts linked relatively', () => {
    const outDir = join(root, 'out');
    const written = renderReport(current, { baseline: base, outDir, compare: { resamples: 2000 } });
    assert.equal(written.reportPath, join(outDir, 'report.md'));
    const markdown = readFileSync(written.reportPath, 'utf8');
    assert.equal(written.chartPaths.length, 2);
    for (const path of written.chartPaths) {
      assert.ok(existsSync(path));
      const name = path.slice(outDir.length + 1);
      assert.ok(markdown.includes(`](${name})`), `report links ${name} relatively`);
      const svg = readFileSync(path, 'utf8');
      assertWellFormedXml(svg, name);
      assert.match(svg, /<polyline /);
    }
    assert.throws(
      () => buildReport(current, { reportFile: '../x.md' }),
      (e) => isVexError(e, 'E_USAGE'),
    );
  });

  it('embeds the result JSON so a report compares exactly like its result files', () => {
    const outDir = join(root, 'roundtrip');
    const { reportPath } = renderReport(current, { baseline: base, outDir, compare: { resamples: 2000 } });
    const loadedCurrent = loadResultFile(reportPath);
    const loadedBaseline = loadResultFile(reportPath, 'baseline');
    assert.deepEqual(loadedCurrent, current);
    assert.deepEqual(loadedBaseline, base);
    assert.deepEqual(
      compareResults(loadedBaseline, loadedCurrent, { resamples: 2000 }),
      compareResults(base, current, { resamples: 2000 }),
    );
  });

  it('survives hostile strings: backticks, markers, pipes and markup stay inert and round-trip', () => {
    const hostile = syntheticResult({ id: 'hostile', seed: 4 });
    hostile.profile.text = 'a = "```"\nb = "<!-- vexfs-bench:result:end -->"\nc = "````"\n';
    hostile.command = 'vexctl bench run "a|b" --note "<script>&"';
    const metric = hostile.metrics[3];
    assert.ok(metric);
    metric.labels = { note: 'x|y<z>&' };
    const latency = hostile.latencies[0];
    assert.ok(latency);
    latency.op = 'op<&>"\'';
    const built = buildReport(hostile);
    assert.ok(built.markdown.includes('x\\|y<z>&'), 'pipes in table cells are escaped');
    for (const chart of built.charts) assertWellFormedXml(chart.svg, chart.file);
    const path = join(root, 'hostile.md');
    renderReport(hostile, { outDir: root, reportFile: 'hostile.md' });
    assert.deepEqual(loadResultFile(path), hostile);
  });

  it('shows the seed guide figures for its headline profiles, labelled, with no ratio or verdict', () => {
    const cases = [
      ['fuse-ops', '2,500', '4,000'],
      ['vector-ops', '1,200', '2,000'],
      ['semantic-ops', '450', '650'],
    ] as const;
    for (const [profile, claimedBase, claimedOptimized] of cases) {
      const result = syntheticResult({ id: `seed-${profile}`, seed: 5, profile });
      const { markdown } = buildReport(result);
      const start = markdown.indexOf(`## Seed guide figures (${SEED_LABEL})`);
      assert.ok(start >= 0, `${profile} has the seed section`);
      const section = markdown.slice(start, markdown.indexOf('\n## ', start + 1));
      assert.ok(section.includes(`${claimedBase} ops/s`) && section.includes(`${claimedOptimized} ops/s`));
      assert.ok(section.includes('vexfs:') || section.includes('ops_per_s.mixed'));
      assert.doesNotMatch(section, /improved|regressed|×|faster|slower|[+-]\d+(\.\d+)?%|\d\.\d+x\b/);
    }
  });

  it('renders an empty run (no metrics, latencies or samples) with every section and valid charts', () => {
    const empty = { ...syntheticResult({ id: 'empty', seed: 9 }), metrics: [], latencies: [], timeseries: [] };
    const built = buildReport(empty);
    for (const heading of SECTIONS) assert.ok(built.markdown.includes(heading), `missing ${heading}`);
    assert.match(built.markdown, /This run recorded no metric/);
    for (const chart of built.charts) {
      assertWellFormedXml(chart.svg, chart.file);
      assert.match(chart.svg, />no data</);
    }
  });

  it('draws one colour per subject and workload, one line per trial', () => {
    const run = syntheticResult({ id: 'peers', seed: 10 });
    const template = run.timeseries[5];
    assert.ok(template);
    run.timeseries = ['vexfs', 'memfs'].flatMap((subject, s) =>
      [0, 1].flatMap((trial) =>
        Array.from({ length: 5 }, (_, i) => ({
          ...template,
          t_ms: (s * 2 + trial) * 1000 + i * 100,
          trial,
          subject,
          workload: 'mixed',
        })),
      ),
    );
    const { charts } = buildReport(run);
    const svg = charts.find((c) => c.file.endsWith('throughput.svg'))?.svg ?? '';
    assertWellFormedXml(svg, 'throughput.svg');
    assert.equal(svg.match(/<polyline /g)?.length, 4);
    assert.ok(svg.includes('>vexfs mixed</text>') && svg.includes('>memfs mixed</text>'));
    const strokes = new Set([...svg.matchAll(/<polyline fill="none" stroke="(#[0-9a-f]+)"/g)].map((m) => m[1]));
    assert.equal(strokes.size, 2);
  });

  it('marks a cancelled run and refuses to compare against it', () => {
    const cancelled = syntheticResult({ id: 'cancelled-run', seed: 6, status: 'cancelled' });
    assert.match(buildReport(cancelled).markdown, /This run is cancelled/);
    assert.throws(
      () => buildReport(current, { baseline: cancelled }),
      (e) => isVexError(e, 'E_RESULT'),
    );
  });

  it('draws the latency curve from the histogram, falling back to the summary when it does not match', () => {
    const latency = current.latencies[0];
    assert.ok(latency);
    const curve = latencyCurve(latency);
    assert.ok(curve.length > 10, 'the full percentile curve');
    // x is the number of nines: p50 sits at −log10(0.5); the curve passes through the summary's p50 there.
    const p50 = curve.find((p) => Math.abs(p.x - Math.log10(2)) < 0.06);
    assert.ok(p50, 'a point near p50');
    assert.ok(Math.abs(p50.y - latency.p50_us) / latency.p50_us < 0.1, `${p50.y} vs ${latency.p50_us}`);
    assert.equal(latencyCurve({ ...latency, histogram: 'garbage!' }).length, 4);
    assert.equal(latencyCurve({ ...latency, max_us: latency.max_us * 7 }).length, 4);
  });
});

describe('terminal text', () => {
  it('renders comparisons, paired analyses and calibrations as aligned columns', () => {
    const base = syntheticResult({ id: 'b', seed: 7 });
    const current = syntheticResult({ id: 'c', seed: 8, throughputFactor: 0.9 });
    const text = formatComparisonText(compareResults(base, current, { resamples: 1000 }));
    assert.match(text, /^b → c \(fs-ops/);
    assert.match(text, /\*vexfs:ops_per_s\.mixed +[\d,]+ ops\/s +[\d,]+ ops\/s +-\d+\.\d\d% \[.*regressed$/m);
    assert.match(text, /gate \(primary\): FAILS: vexfs:ops_per_s\.mixed/);
    const paired = formatPairedText(analyzePaired(base, current, { resamples: 1000 }));
    assert.match(paired, /vexfs:ops_per_s\.create .* 10 .* regressed/);
    const calibration = formatCalibrationText(calibrateResult(base, { targetChangesPct: [1, 10] }).calibrations);
    assert.match(calibration, /trials for 1% +trials for 10%/);
    assert.match(calibration, /vexfs:ops_per_s\.mixed +10 .*% @ 10 +never +\d+$/m);
  });
});
