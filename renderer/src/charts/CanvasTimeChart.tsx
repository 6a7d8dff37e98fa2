import { memo, useEffect, useRef } from 'react';

export interface CanvasSeries<P> {
  key: keyof P & string;
  name: string;
  colour: string;
}

const HEIGHT_PX = 170;
const PAD = { left: 52, right: 10, top: 8, bottom: 22 };

let cachedColours: { theme: string; grid: string; text: string } | null = null;

/** The theme's grid and text colours, read from CSS once per theme (reading styles each frame costs a style pass). */
function themeColours(element: HTMLElement): { grid: string; text: string } {
  const theme = document.documentElement.dataset.theme ?? '';
  if (cachedColours?.theme !== theme) {
    const style = getComputedStyle(element);
    cachedColours = {
      theme,
      grid: style.getPropertyValue('--border').trim() || '#ccc',
      text: style.getPropertyValue('--muted').trim() || '#666',
    };
  }
  return cachedColours;
}

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((s) => s * power >= value) ?? 10;
  return step * power;
}

function label(value: number): string {
  if (value >= 1e6) return `${(value / 1e6).toFixed(1)}M`;
  if (value >= 1e4) return `${Math.round(value / 1e3)}k`;
  return value >= 10 ? String(Math.round(value)) : value.toFixed(1);
}

/**
 * A live time chart drawn on a canvas. Measured: recharts redrawing five SVG charts at 10 Hz
 * made long tasks on a busy machine, so the dense live charts draw here, once per animation
 * frame at most, in well under a millisecond; the rest of the app keeps recharts.
 */
function CanvasTimeChartInner<P extends { tSec: number }>({
  title,
  unit,
  points,
  series,
}: {
  title: string;
  unit: string;
  points: readonly P[];
  series: CanvasSeries<P>[];
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const frame = useRef<number | null>(null);
  // The width comes from a ResizeObserver, so drawing never forces a layout.
  const widthPx = useRef(0);
  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const observer = new ResizeObserver((entries) => {
      widthPx.current = entries[0]?.contentRect.width ?? widthPx.current;
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    if (frame.current !== null) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      const element = canvas.current;
      if (!element) return;
      const width = widthPx.current || element.clientWidth;
      const ratio = window.devicePixelRatio || 1;
      if (element.width !== Math.round(width * ratio)) element.width = Math.round(width * ratio);
      if (element.height !== Math.round(HEIGHT_PX * ratio)) element.height = Math.round(HEIGHT_PX * ratio);
      const context = element.getContext('2d');
      if (!context) return;
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      context.clearRect(0, 0, width, HEIGHT_PX);
      const { grid, text } = themeColours(element);
      const plotW = Math.max(10, width - PAD.left - PAD.right);
      const plotH = HEIGHT_PX - PAD.top - PAD.bottom;
      const first = points[0]?.tSec ?? 0;
      const last = points[points.length - 1]?.tSec ?? 1;
      const span = Math.max(0.1, last - first);
      let max = 0;
      for (const p of points) for (const s of series) max = Math.max(max, Number(p[s.key]) || 0);
      const top = niceMax(max);
      context.font = '11px system-ui, sans-serif';
      context.fillStyle = text;
      context.strokeStyle = grid;
      context.lineWidth = 1;
      for (let i = 0; i <= 4; i++) {
        const y = PAD.top + plotH - (plotH * i) / 4;
        context.beginPath();
        context.moveTo(PAD.left, y);
        context.lineTo(PAD.left + plotW, y);
        context.stroke();
        context.textAlign = 'right';
        context.fillText(`${label((top * i) / 4)}${unit}`, PAD.left - 4, y + 4);
      }
      context.textAlign = 'left';
      context.fillText(`${first.toFixed(1)} s`, PAD.left, HEIGHT_PX - 6);
      context.textAlign = 'right';
      context.fillText(`${last.toFixed(1)} s`, PAD.left + plotW, HEIGHT_PX - 6);
      context.lineWidth = 1.5;
      for (const s of series) {
        context.strokeStyle = s.colour;
        context.beginPath();
        points.forEach((p, i) => {
          const x = PAD.left + ((p.tSec - first) / span) * plotW;
          const y = PAD.top + plotH - (Math.min(top, Number(p[s.key]) || 0) / top) * plotH;
          if (i === 0) context.moveTo(x, y);
          else context.lineTo(x, y);
        });
        context.stroke();
      }
    });
  }, [points, series, unit]);

  useEffect(
    () => () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    },
    [],
  );

  const latest = points[points.length - 1];
  return (
    <figure className="chart" aria-label={title}>
      <figcaption>
        {title}
        {series.map((s) => (
          <span key={s.key} className="legend-item">
            <span className="swatch" style={{ background: s.colour }} /> {s.name}
            {latest ? `: ${label(Number(latest[s.key]) || 0)}${unit}` : ''}
          </span>
        ))}
      </figcaption>
      <canvas
        ref={canvas}
        className="live-canvas"
        style={{ width: '100%', height: HEIGHT_PX }}
        role="img"
        aria-label={`${title} over the last ${points.length} samples`}
      />
    </figure>
  );
}

export const CanvasTimeChart = memo(CanvasTimeChartInner) as typeof CanvasTimeChartInner;
