/**
 * Byte sizes in config files. Decimal units are powers of 1000 ("8GB" = 8×10⁹ bytes), binary
 * units powers of 1024 ("8GiB" = 8×2³⁰ bytes); a plain integer is bytes. Single-letter
 * suffixes ("4k", "4G") are refused because tools disagree on whether they mean 1000 or 1024,
 * and unit case is strict because a lowercase "b" conventionally means bits.
 */

const DECIMAL_UNITS: Readonly<Record<string, bigint>> = {
  B: 1n,
  kB: 1000n,
  KB: 1000n,
  MB: 1000n ** 2n,
  GB: 1000n ** 3n,
  TB: 1000n ** 4n,
  PB: 1000n ** 5n,
};

const BINARY_UNITS: Readonly<Record<string, bigint>> = {
  KiB: 1024n,
  MiB: 1024n ** 2n,
  GiB: 1024n ** 3n,
  TiB: 1024n ** 4n,
  PiB: 1024n ** 5n,
};

const UNITS: Readonly<Record<string, bigint>> = { ...DECIMAL_UNITS, ...BINARY_UNITS };

/** The unit names a config file may use, for documentation. */
export const SIZE_UNIT_NAMES: readonly string[] = Object.keys(UNITS);

export type SizeParse = { ok: true; bytes: number } | { ok: false; reason: string };

const SIZE_PATTERN = /^([0-9]+)(?:\.([0-9]+))?\s*([A-Za-z]*)$/;

/** Parses a size written in a config file (a TOML integer or string) into bytes. */
export function parseSize(value: unknown): SizeParse {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return { ok: false, reason: `a size in bytes must be a whole number, got ${value}` };
    if (value < 0) return { ok: false, reason: `a size must not be negative, got ${value}` };
    return { ok: true, bytes: value };
  }
  if (typeof value !== 'string') {
    return {
      ok: false,
      reason: `a size must be an integer (bytes) or a string such as "512MiB", got ${typeName(value)}`,
    };
  }
  const text = value.trim();
  if (text.startsWith('-')) return { ok: false, reason: `a size must not be negative, got "${value}"` };
  const match = SIZE_PATTERN.exec(text);
  if (!match) {
    return { ok: false, reason: `"${value}" is not a size: write a number and a unit, e.g. "8GB" or "512MiB"` };
  }
  const [, whole = '', fraction = '', unitText = ''] = match;
  const unit = unitText === '' ? 'B' : unitText;
  const multiplier = UNITS[unit];
  if (multiplier === undefined) return { ok: false, reason: unitAdvice(value, unitText) };
  const scale = 10n ** BigInt(fraction.length);
  const scaled = (BigInt(whole) * scale + BigInt(fraction === '' ? '0' : fraction)) * multiplier;
  if (scaled % scale !== 0n) return { ok: false, reason: `"${value}" is not a whole number of bytes` };
  const bytes = scaled / scale;
  if (bytes > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, reason: `"${value}" is too large a size` };
  return { ok: true, bytes: Number(bytes) };
}

function unitAdvice(value: string, unitText: string): string {
  const upper = unitText.toUpperCase();
  if (/^[KMGTP]$/.test(upper)) {
    const decimal = upper === 'K' ? 'KB' : `${upper}B`;
    return `"${value}" is ambiguous: write ${decimal} (powers of 1000) or ${upper}iB (powers of 1024)`;
  }
  const sameLetters = Object.keys(UNITS).find((name) => name.toUpperCase() === upper);
  if (sameLetters !== undefined) {
    return `"${value}" has unit "${unitText}": units are case-sensitive (a lowercase b means bits); write "${sameLetters}"`;
  }
  return `"${value}" has an unknown unit "${unitText}": use B, KB, MB, GB, TB, PB (powers of 1000) or KiB, MiB, GiB, TiB, PiB (powers of 1024)`;
}

/** "8 GiB", "8 GB", "512 B": the unit that divides exactly with the smallest figure (binary on a tie). */
export function formatSize(bytes: number): string {
  let best = `${bytes} B`;
  let bestFigure = bytes;
  for (const [name, unit] of [...Object.entries(BINARY_UNITS), ...Object.entries(DECIMAL_UNITS)]) {
    const size = Number(unit);
    if (name === 'kB' || bytes < size || bytes % size !== 0) continue;
    if (bytes / size < bestFigure) {
      best = `${bytes / size} ${name}`;
      bestFigure = bytes / size;
    }
  }
  return best;
}

/** A rounded human figure for messages ("≈ 23.5 GiB"); not for round-tripping. */
export function approximateSize(bytes: number): string {
  const names = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let index = 0;
  while (value >= 1024 && index < names.length - 1) {
    value /= 1024;
    index += 1;
  }
  return `${index === 0 ? value : value.toFixed(1)} ${names[index] ?? 'B'}`;
}

export function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (value instanceof Date) return 'a date';
  if (typeof value === 'object') return 'a table';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'number') return Number.isInteger(value) ? `the integer ${value}` : `the number ${value}`;
  if (typeof value === 'boolean') return `the boolean ${value}`;
  return typeof value;
}
