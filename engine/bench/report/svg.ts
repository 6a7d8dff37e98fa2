/**
 * A small line-chart renderer producing standalone SVG text: no DOM, no browser, so the
 * CLI can draw report charts. Every text node is XML-escaped; the output is well-formed XML.
 */
export interface Series {
  name: string;
  points: readonly { x: number; y: number }[];
  dashed?: boolean;
  /** Series with the same group share a colour and one legend entry (e.g. the trials of one workload). */
  group?: string;
}

export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  /** Tick labels for the x axis (default: formatted numbers). */
  xTicks?: readonly { value: number; label: string }[];
  logY?: boolean;
  width?: number;
  height?: number;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

export function escapeXml(text: string): string {
  return text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string,
  );
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${(value / 1e9).toPrecision(3)}G`;
  if (abs >= 1e6) return `${(value / 1e6).toPrecision(3)}M`;
  if (abs >= 1e4) return `${(value / 1e3).toPrecision(3)}k`;
  if (abs >= 100 || abs === 0) return value.toFixed(0);
  return Number(value.toPrecision(3)).toString();
}

/** Round tick values covering [min, max] (1, 2, 5 × 10^k steps). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

export function lineChart(series: readonly Series[], options: ChartOptions): string {
  const width = options.width ?? 720;
  const height = options.height ?? 360;
  const margin = { left: 70, right: 170, top: 36, bottom: 48 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const all = series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const logY = options.logY === true && all.every((p) => p.y > 0);
  const ty = (y: number): number => (logY ? Math.log10(y) : y);
  const xs = all.map((p) => p.x);
  const ys = all.map((p) => ty(p.y));
  const xMin = xs.length ? Math.min(...xs) : 0;
  const xMax = xs.length ? Math.max(...xs) : 1;
  let yMin = ys.length ? Math.min(...ys) : 0;
  let yMax = ys.length ? Math.max(...ys) : 1;
  if (!logY) yMin = Math.min(0, yMin);
  if (yMax === yMin) yMax = yMin + 1;
  const sx = (x: number): number => margin.left + (xMax === xMin ? plotW / 2 : ((x - xMin) / (xMax - xMin)) * plotW);
  const sy = (y: number): number => margin.top + plotH - ((ty(y) - yMin) / (yMax - yMin)) * plotH;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(options.title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${margin.left}" y="22" font-size="15" font-weight="bold">${escapeXml(options.title)}</text>`,
  );
  const yTicks = logY
    ? niceTicks(Math.floor(yMin), Math.ceil(yMax), Math.max(1, Math.ceil(yMax) - Math.floor(yMin)))
        .filter(Number.isInteger)
        .map((e) => 10 ** e)
    : niceTicks(yMin, yMax);
  for (const value of yTicks) {
    const y = sy(value);
    if (y < margin.top - 0.5 || y > margin.top + plotH + 0.5) continue;
    out.push(
      `<line x1="${margin.left}" y1="${y.toFixed(1)}" x2="${margin.left + plotW}" y2="${y.toFixed(1)}" stroke="#e0e0e0"/>`,
      `<text x="${margin.left - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end">${escapeXml(formatNumber(value))}</text>`,
    );
  }
  const xTicks = options.xTicks ?? niceTicks(xMin, xMax).map((value) => ({ value, label: formatNumber(value) }));
  for (const tick of xTicks) {
    if (tick.value < xMin || tick.value > xMax) continue;
    const x = sx(tick.value);
    out.push(
      `<line x1="${x.toFixed(1)}" y1="${margin.top}" x2="${x.toFixed(1)}" y2="${margin.top + plotH}" stroke="#f0f0f0"/>`,
      `<text x="${x.toFixed(1)}" y="${margin.top + plotH + 16}" text-anchor="middle">${escapeXml(tick.label)}</text>`,
    );
  }
  out.push(
    `<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888888"/>`,
    `<text x="${margin.left + plotW / 2}" y="${height - 10}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
    `<text x="16" y="${margin.top + plotH / 2}" text-anchor="middle" transform="rotate(-90 16 ${margin.top + plotH / 2})">${escapeXml(options.yLabel + (logY ? ' (log scale)' : ''))}</text>`,
  );
  if (all.length === 0) {
    out.push(
      `<text x="${margin.left + plotW / 2}" y="${margin.top + plotH / 2}" text-anchor="middle" fill="#888888">no data</text>`,
    );
  }
  const legend: { label: string; dashed: boolean }[] = [];
  const colorOf = new Map<string, string>();
  for (const s of series) {
    const label = s.group ?? s.name;
    let color = colorOf.get(label);
    if (color === undefined) {
      color = PALETTE[colorOf.size % PALETTE.length] as string;
      colorOf.set(label, color);
      legend.push({ label, dashed: s.dashed === true });
    }
    const points = s.points
      .filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y) && (!logY || p.y > 0))
      .map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`)
      .join(' ');
    if (points) {
      out.push(
        `<polyline fill="none" stroke="${color}" stroke-width="1.5"${s.dashed ? ' stroke-dasharray="5,3"' : ''} points="${points}"/>`,
      );
    }
  }
  legend.forEach(({ label, dashed }, i) => {
    const color = colorOf.get(label) as string;
    const ly = margin.top + 8 + i * 18;
    const lx = margin.left + plotW + 12;
    out.push(
      `<line x1="${lx}" y1="${ly}" x2="${lx + 18}" y2="${ly}" stroke="${color}" stroke-width="2"${dashed ? ' stroke-dasharray="5,3"' : ''}/>`,
      `<text x="${lx + 24}" y="${ly + 4}">${escapeXml(truncate(label, 22))}</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
