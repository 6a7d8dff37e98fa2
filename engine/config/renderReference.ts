import { listConfigFields } from './describe.js';
import type { ConfigField } from './describe.js';
import { DEFAULT_SYSTEM_DIR, STORE_CONFIG_FILE } from './loadConfig.js';
import { SECTION_NAMES } from './schema.js';
import { formatSize } from './sizes.js';

/**
 * docs/config.md, generated from the schema so that the reference cannot drift from what
 * validation accepts (test/config/reference.test.ts compares the two).
 * Regenerate with: node bin/vexctl.mjs config reference > docs/config.md
 */
export function renderConfigReference(): string {
  const fields = listConfigFields();
  const count = (status: string): number => fields.filter((field) => field.meta.status === status).length;
  const out: string[] = [
    '# VexFS configuration reference',
    '',
    '<!-- Generated from engine/config/schema.ts by renderConfigReference(); do not edit by hand.',
    '     Regenerate: node bin/vexctl.mjs config reference > docs/config.md -->',
    '',
    "VexFS reads TOML, whether the file is called `vexfs.toml` or `vexfs.conf` (the seed guide's name).",
    `Every key is optional; a file only needs the keys it changes. ${fields.length} keys in ${SECTION_NAMES.length} sections:`,
    `${count('effective')} effective, ${count('later')} later, ${count('inert')} inert (see [Status](#status)).`,
    '',
    '## Where configuration comes from',
    '',
    'Highest precedence first; each source overrides the ones below it key by key, so per-store settings',
    'override global ones:',
    '',
    '1. `--config FILE` on the command line (must exist).',
    '2. `$VEXFS_CONFIG` (must exist when set).',
    `3. The store's own file: \`<store directory>/${STORE_CONFIG_FILE}\`.`,
    "4. The user's config directory: `$XDG_CONFIG_HOME/vexfs/` when that variable is an absolute path, else",
    '   `~/.config/vexfs/`, holding `vexfs.conf` or `vexfs.toml`.',
    `5. The system directory: \`${DEFAULT_SYSTEM_DIR}/vexfs.conf\` or \`${DEFAULT_SYSTEM_DIR}/vexfs.toml\``,
    '   (`$VEXFS_SYSTEM_CONFIG_DIR` replaces the directory, for packaging and tests).',
    '6. The defaults below.',
    '',
    'A directory holding both `vexfs.conf` and `vexfs.toml` is an error: it would be unclear which applies.',
    '`vexctl config show --origin` prints every effective value with the file, line and column it came from.',
    '',
    '## Sizes',
    '',
    'A size is an integer (bytes) or a string with a unit. Decimal units are powers of 1000, binary units',
    'powers of 1024: `"8GB"` = 8,000,000,000 bytes, `"8GiB"` = 8,589,934,592 bytes.',
    '',
    '| Decimal | Bytes | Binary | Bytes |',
    '| --- | --- | --- | --- |',
    '| `KB` (or `kB`) | 10^3 | `KiB` | 2^10 |',
    '| `MB` | 10^6 | `MiB` | 2^20 |',
    '| `GB` | 10^9 | `GiB` | 2^30 |',
    '| `TB` | 10^12 | `TiB` | 2^40 |',
    '| `PB` | 10^15 | `PiB` | 2^50 |',
    '',
    'A space between number and unit is allowed (`"8 GB"`), as is a fraction that comes to whole bytes',
    '(`"1.5GiB"`). Refused, with an error saying what to write instead: single-letter suffixes (`"4k"`, `"8G"`:',
    'tools disagree on whether they mean 1000 or 1024), other letter cases (`"8gb"`, `"8Gb"`: a lowercase b',
    'means bits), negative sizes, exponents and fractions of a byte. `config show` prints sizes in bytes.',
    '',
    '## Status',
    '',
    '- **effective**: changes something measurable in this engine; the key says what and how to see it.',
    '- **later**: accepted and validated now; its effect arrives with the named capability.',
    "- **inert**: accepted so that the seed's configs load, but has no honest meaning here;",
    '  `vexctl config validate` and `advise` warn when it is set.',
    '',
    '**Applies**: `live` keys are read at each use, so a change applies to the next operation; `restart` keys',
    'are read once, when a store is opened, a mount made or the server started.',
    '',
    '## Commands',
    '',
    '- `vexctl config validate FILE [--json]`: every error with line, column and key path; exit 0 valid',
    '  (warnings allowed), 1 invalid, 2 usage error or unreadable file.',
    '- `vexctl config show [FILE] [--store DIR] [--origin] [--json]`: the effective configuration.',
    '- `vexctl config advise [FILE] [--store DIR] [--json]` (also `validate-performance`): performance advisories',
    '  with the key and the reason for each; without FILE, for the effective configuration.',
    '- `vexctl config diff A B [--json]`: key-level differences of the effective values.',
    '- `vexctl config reference [--json]`: this document, or the field descriptions as JSON.',
    '',
    'Cross-key checks: `memory_pool_size`, `cache_size` and `index_memory_size`, each and together, must fit in',
    'physical memory (`os.totalmem()`); `enable_simd` and `enable_simd_optimization` disagreeing, and memory sizes',
    'set while `enable_memory_optimization = false`, are warnings.',
  ];
  for (const section of SECTION_NAMES) {
    out.push(
      '',
      `## [${section}]`,
      '',
      '| Key | Type and range | Default | Applies | Status |',
      '| --- | --- | --- | --- | --- |',
    );
    const inSection = fields.filter((field) => field.section === section);
    for (const field of inSection) {
      out.push(
        `| \`${field.name}\` | ${typeAndRange(field)} | ${defaultText(field)} | ${field.meta.apply} | ${field.meta.status} |`,
      );
    }
    out.push('');
    for (const field of inSection) {
      const { meta } = field;
      const status = meta.status === 'later' ? ` *Arrives with ${meta.capability ?? 'a later capability'}.*` : '';
      const note = meta.note ? ` ${meta.note}` : '';
      out.push(`- \`${field.key}\`: ${meta.description}${note} ${meta.effect}${status}`);
    }
  }
  return `${out.join('\n')}\n`;
}

function typeAndRange({ meta }: ConfigField): string {
  switch (meta.kind) {
    case 'boolean':
      return 'boolean';
    case 'enum':
      return `one of ${(meta.choices ?? []).map((choice) => `\`"${choice}"\``).join(', ')}`;
    case 'string':
      return 'string';
    case 'integer':
      return `integer ${meta.min}–${meta.max}${meta.unit ? ` ${meta.unit}` : ''}`;
    case 'size':
      return `size ${formatSize(meta.min ?? 0)}–${formatSize(meta.max ?? 0)}`;
  }
}

function defaultText({ meta }: ConfigField): string {
  if (meta.kind === 'size' && typeof meta.default === 'number') return `${formatSize(meta.default)} (${meta.default})`;
  return `\`${typeof meta.default === 'string' ? JSON.stringify(meta.default) : String(meta.default)}\``;
}
