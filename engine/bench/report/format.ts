/** Numbers for humans: thousands separators for big values, 3–4 significant digits for small. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1000 || Number.isInteger(value)) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(1);
  if (abs === 0) return '0';
  return Number(value.toPrecision(3)).toString();
}

export function formatPct(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return `${value >= 0 ? '+' : ''}${value.toFixed(2)}%`;
}

export function formatP(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value < 0.001 ? value.toExponential(1) : value.toFixed(3);
}
