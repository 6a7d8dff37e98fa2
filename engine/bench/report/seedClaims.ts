import type { BenchResult } from '../result.js';
import { table } from './markdownTable.js';
import { formatValue } from './format.js';

/**
 * The seed performance guide's headline figures. They came from constants in the seed
 * project, never from a measurement, so they are shown beside ours for context only:
 * no ratio, no verdict.
 */
export const SEED_CLAIMS: Readonly<
  Record<string, { category: string; baselineOpsPerSec: number; optimizedOpsPerSec: number }>
> = {
  'fuse-ops': { category: 'FUSE operations', baselineOpsPerSec: 2500, optimizedOpsPerSec: 4000 },
  'vector-ops': { category: 'Vector operations', baselineOpsPerSec: 1200, optimizedOpsPerSec: 2000 },
  'semantic-ops': { category: 'Semantic operations', baselineOpsPerSec: 450, optimizedOpsPerSec: 650 },
};

export const SEED_LABEL = 'claimed by the seed guide, never measured';

export function seedClaimsSection(result: BenchResult): string | null {
  const claim = SEED_CLAIMS[result.profile.name];
  if (!claim) return null;
  const ours = result.metrics
    .filter((m) => m.name.startsWith('ops_per_s.') && m.subject === 'vexfs')
    .sort((a, b) => Object.keys(a.labels).length - Object.keys(b.labels).length);
  const rows = ours.map((m) => [
    m.name +
      (Object.keys(m.labels).length
        ? ` {${Object.entries(m.labels)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')}}`
        : ''),
    `${formatValue(m.value)} ops/s (95% CI ${formatValue(m.ci95[0])}–${formatValue(m.ci95[1])})`,
  ]);
  return [
    `## Seed guide figures (${SEED_LABEL})`,
    '',
    `The seed performance guide states these figures for ${claim.category.toLowerCase()}. They are ${SEED_LABEL}: ` +
      'the seed computed them from constants. They are shown for context only, with no ratio and no verdict against ours.',
    '',
    table(
      ['Category', `"Baseline" (${SEED_LABEL})`, `"Optimized" (${SEED_LABEL})`],
      [
        [
          claim.category,
          `${formatValue(claim.baselineOpsPerSec)} ops/s`,
          `${formatValue(claim.optimizedOpsPerSec)} ops/s`,
        ],
      ],
    ),
    '',
    'Measured in this run:',
    '',
    rows.length ? table(['Metric (vexfs)', 'Measured'], rows) : '_This run has no `ops_per_s.*` metric for vexfs._',
  ].join('\n');
}
