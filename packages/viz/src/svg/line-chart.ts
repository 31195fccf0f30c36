import { LatentkitError } from '@latentkit/core';
import { coord, escapeXml } from './escape.js';
import { formatTick, logTicks, niceTicks, type Ticks } from './nice-ticks.js';
import { categoricalColor } from './palette.js';

export interface ChartPoint {
  x: number;
  y: number;
}

/** How a series is drawn: a polyline, dots, both, or vertical bars from zero. */
export type SeriesStyle = 'line' | 'points' | 'line+points' | 'bars';

export interface ChartSeries {
  label: string;
  /** Points with a non-finite coordinate (or y ≤ 0 on a log axis) are skipped; lines break there. */
  points: readonly ChartPoint[];
  style?: SeriesStyle;
  /** Any SVG colour; default: the Tableau 10 colour of the series index. */
  color?: string;
  dashed?: boolean;
  /** Dot radius for 'points' / 'line+points'. Default 3. */
  pointRadius?: number;
  /** Default true. */
  inLegend?: boolean;
}

export interface LineChartOptions {
  series: readonly ChartSeries[];
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Default 640. */
  width?: number;
  /** Default 400. */
  height?: number;
  /** Fixed axis ranges; default: nice ranges around the data. */
  xDomain?: readonly [number, number];
  yDomain?: readonly [number, number];
  logY?: boolean;
  /** Only integer x ticks (epochs, component counts). */
  integerX?: boolean;
}

const FONT = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";
const FONT_SIZE = 12;
/** Rough advance of a 12px sans-serif character, for reserving legend space without measuring text. */
const CHAR_WIDTH = 7;
const BAR_HALF_WIDTH = 0.4;

/**
 * The one chart primitive the other SVG charts build on: axes with nice ticks and grid lines, axis
 * labels, a title, series drawn as lines, dots or bars, and a legend on the right.
 */
export function lineChartSvg(options: LineChartOptions): string {
  const width = positive(options.width ?? 640, 'width');
  const height = positive(options.height ?? 400, 'height');
  const series = options.series.map((s, i) => ({ ...s, color: s.color ?? categoricalColor(i), style: s.style ?? 'line' }));
  const logY = options.logY ?? false;
  const usable = (p: ChartPoint): boolean => Number.isFinite(p.x) && Number.isFinite(p.y) && (!logY || p.y > 0);

  const legend = series.filter((s) => s.inLegend !== false && s.label !== '');
  const legendWidth = legend.length > 0 ? 36 + CHAR_WIDTH * Math.max(...legend.map((s) => [...s.label].length)) : 0;
  const margin = {
    top: options.title ? 40 : 16,
    right: 16 + legendWidth,
    bottom: options.xLabel ? 48 : 30,
    left: options.yLabel ? 70 : 52,
  };
  const plotW = Math.max(40, width - margin.left - margin.right);
  const plotH = Math.max(40, height - margin.top - margin.bottom);

  const { xs, ys } = dataExtent(series, usable);
  const xTicks = axisTicks(options.xDomain, xs, false, options.integerX ?? false);
  const yTicks = axisTicks(options.yDomain, ys, logY, false);
  const [x0, x1] = [xTicks.min, xTicks.max];
  const [y0, y1] = [yTicks.min, yTicks.max];
  const sx = (x: number): number => margin.left + ((x - x0) / (x1 - x0)) * plotW;
  const ty = logY ? Math.log10 : (v: number) => v;
  const sy = (y: number): number => margin.top + plotH - ((ty(y) - ty(y0)) / (ty(y1) - ty(y0))) * plotH;

  const marks = series.map((s) => seriesMarks(s, usable, sx, sy, logY ? y0 : Math.max(y0, Math.min(0, y1)))).join('');
  const clipId = `plot-${hashString(marks)}`;
  const title = options.title ?? ([options.yLabel, options.xLabel].filter(Boolean).join(' vs ') || 'chart');
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" font-family="${escapeXml(FONT)}" font-size="${FONT_SIZE}">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<defs><clipPath id="${clipId}"><rect x="${coord(margin.left)}" y="${coord(margin.top)}" width="${coord(plotW)}" height="${coord(plotH)}"/></clipPath></defs>`,
    gridAndTicks(xTicks, yTicks, sx, sy, margin.left, margin.top, plotW, plotH),
    `<g clip-path="url(#${clipId})">${marks}</g>`,
    `<rect class="frame" x="${coord(margin.left)}" y="${coord(margin.top)}" width="${coord(plotW)}" height="${coord(plotH)}" fill="none" stroke="#333333"/>`,
  ];
  if (options.title) {
    parts.push(`<text class="chart-title" x="${coord(width / 2)}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(options.title)}</text>`);
  }
  if (options.xLabel) {
    parts.push(`<text class="axis-label" x="${coord(margin.left + plotW / 2)}" y="${coord(height - 10)}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`);
  }
  if (options.yLabel) {
    const cy = margin.top + plotH / 2;
    parts.push(`<text class="axis-label" x="16" y="${coord(cy)}" text-anchor="middle" transform="rotate(-90 16 ${coord(cy)})">${escapeXml(options.yLabel)}</text>`);
  }
  parts.push(legendSvg(legend, margin.left + plotW + 16, margin.top));
  parts.push('</svg>');
  return parts.join('\n');
}

type StyledSeries = ChartSeries & { color: string; style: SeriesStyle };

function dataExtent(series: readonly StyledSeries[], usable: (p: ChartPoint) => boolean): { xs: number[]; ys: number[] } {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of series) {
    for (const p of s.points) {
      if (!usable(p)) continue;
      if (s.style === 'bars') {
        xs.push(p.x - 0.5, p.x + 0.5);
        ys.push(0);
      } else xs.push(p.x);
      ys.push(p.y);
    }
  }
  return { xs, ys };
}

function axisTicks(domain: readonly [number, number] | undefined, values: number[], log: boolean, integer: boolean): Ticks {
  const lo = domain ? domain[0] : values.length ? minOf(values) : log ? 0.1 : 0;
  let hi = domain ? domain[1] : values.length ? maxOf(values) : 1;
  if (log) {
    const t = logTicks(lo, hi);
    return domain ? { ...t, min: domain[0], max: domain[1], values: t.values.filter((v) => v >= domain[0] && v <= domain[1]) } : t;
  }
  if (lo === hi && domain) hi = lo + 1;
  let t = niceTicks(lo, hi);
  if (integer && t.step < 1) {
    const first = Math.floor(lo);
    const last = Math.max(Math.ceil(hi), first + 1);
    t = { min: first, max: last, step: 1, values: Array.from({ length: last - first + 1 }, (_, k) => first + k) };
  }
  if (domain) {
    t = { ...t, min: domain[0], max: domain[1], values: t.values.filter((v) => v >= domain[0] - 1e-12 && v <= domain[1] + 1e-12) };
  }
  return t;
}

// Loops rather than Math.min(...values): a scatter can have more points than the engine allows as arguments.
function minOf(values: readonly number[]): number {
  let m = Infinity;
  for (const v of values) if (v < m) m = v;
  return m;
}

function maxOf(values: readonly number[]): number {
  let m = -Infinity;
  for (const v of values) if (v > m) m = v;
  return m;
}

function gridAndTicks(
  xt: Ticks,
  yt: Ticks,
  sx: (x: number) => number,
  sy: (y: number) => number,
  left: number,
  top: number,
  plotW: number,
  plotH: number,
): string {
  const bottom = top + plotH;
  const out: string[] = ['<g class="x-ticks" text-anchor="middle" fill="#333333">'];
  for (const v of xt.values) {
    const x = coord(sx(v));
    out.push(`<line x1="${x}" y1="${coord(top)}" x2="${x}" y2="${coord(bottom)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${x}" y="${coord(bottom + 16)}">${escapeXml(formatTick(v, xt.step))}</text>`);
  }
  out.push('</g>', '<g class="y-ticks" text-anchor="end" fill="#333333">');
  for (const v of yt.values) {
    const y = coord(sy(v));
    out.push(`<line x1="${coord(left)}" y1="${y}" x2="${coord(left + plotW)}" y2="${y}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${coord(left - 6)}" y="${y}" dy="0.35em">${escapeXml(formatTick(v, yt.step))}</text>`);
  }
  out.push('</g>');
  return out.join('');
}

function seriesMarks(
  s: StyledSeries,
  usable: (p: ChartPoint) => boolean,
  sx: (x: number) => number,
  sy: (y: number) => number,
  baseline: number,
): string {
  const out: string[] = [];
  const color = escapeXml(s.color);
  if (s.style === 'bars') {
    for (const p of s.points) {
      if (!usable(p)) continue;
      const xa = sx(p.x - BAR_HALF_WIDTH);
      const xb = sx(p.x + BAR_HALF_WIDTH);
      const ya = Math.min(sy(p.y), sy(baseline));
      const h = Math.abs(sy(p.y) - sy(baseline));
      out.push(`<rect class="bar" x="${coord(xa)}" y="${coord(ya)}" width="${coord(xb - xa)}" height="${coord(h)}" fill="${color}" fill-opacity="0.6"/>`);
    }
  }
  if (s.style === 'line' || s.style === 'line+points') {
    let d = '';
    let penDown = false;
    for (const p of s.points) {
      if (!usable(p)) {
        penDown = false;
        continue;
      }
      d += `${penDown ? 'L' : 'M'}${coord(sx(p.x))},${coord(sy(p.y))}`;
      penDown = true;
    }
    if (d) {
      const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
      out.push(`<path class="line" d="${d}" fill="none" stroke="${color}" stroke-width="2"${dash}/>`);
    }
  }
  if (s.style === 'points' || s.style === 'line+points') {
    const r = coord(s.pointRadius ?? 3);
    for (const p of s.points) {
      if (usable(p)) out.push(`<circle class="point" cx="${coord(sx(p.x))}" cy="${coord(sy(p.y))}" r="${r}" fill="${color}"/>`);
    }
  }
  return `<g class="series" data-label="${escapeXml(s.label)}">${out.join('')}</g>`;
}

function legendSvg(entries: readonly StyledSeries[], left: number, top: number): string {
  if (entries.length === 0) return '';
  const rows = entries.map((s, i) => {
    const y = top + 8 + i * 20;
    const color = escapeXml(s.color);
    let swatch: string;
    if (s.style === 'bars') swatch = `<rect class="swatch" x="${coord(left)}" y="${coord(y - 6)}" width="20" height="12" fill="${color}" fill-opacity="0.6"/>`;
    else if (s.style === 'points') swatch = `<circle class="swatch" cx="${coord(left + 10)}" cy="${coord(y)}" r="4" fill="${color}"/>`;
    else {
      const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
      swatch = `<line class="swatch" x1="${coord(left)}" y1="${coord(y)}" x2="${coord(left + 20)}" y2="${coord(y)}" stroke="${color}" stroke-width="2"${dash}/>`;
    }
    const label = `<text x="${coord(left + 26)}" y="${coord(y)}" dy="0.35em">${escapeXml(s.label)}</text>`;
    return `<g class="legend-entry">${swatch}${label}</g>`;
  });
  return `<g class="legend" fill="#333333">${rows.join('')}</g>`;
}

/** FNV-1a, to give each chart's clip path an id that is deterministic yet unlikely to collide when inlined together. */
function hashString(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16);
}

function positive(v: number, name: string): number {
  if (!Number.isFinite(v) || v <= 0) throw new LatentkitError('E_OPTION', `chart ${name} must be a positive number, got ${v}`);
  return v;
}
