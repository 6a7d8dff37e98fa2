/** Small formatters for figures shown as text (kept apart from the chart transforms, which pull in more). */

/** A distance with enough digits to tell near neighbours apart. */
export function formatDistance(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const abs = Math.abs(value);
  return abs >= 1e6 || abs < 1e-4 ? value.toExponential(4) : value.toPrecision(6);
}

/** Bytes in binary units (KiB, MiB, GiB), as the engine's sizes are. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes.toLocaleString('en-US')} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}
