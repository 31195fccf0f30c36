import { assertCols, assertFinite, LatentkitError, type Matrix } from '@latentkit/core';
import { lineChartSvg, type ChartPoint, type ChartSeries } from './line-chart.js';
import { categoricalColor } from './palette.js';

export interface LatentScatterOptions {
  /** n×2 coordinates, e.g. from project2d. */
  points: Matrix;
  /** Class of each point; colours and the legend follow it. */
  labels?: Int32Array;
  /** Legend text for label value i (default: the number). */
  labelNames?: readonly string[];
  title?: string;
  /** Default 'z1' / 'z2'; pass 'PC 1' / 'PC 2' for PCA-projected codes. */
  xLabel?: string;
  yLabel?: string;
  /** Default 640×480. */
  width?: number;
  height?: number;
  /** Dot radius; default shrinks as n grows. */
  pointRadius?: number;
}

/** A scatter plot of 2-D latent codes, one colour per label (Tableau 10, by label value) with a legend. */
export function latentScatterSvg(options: LatentScatterOptions): string {
  const { points, labels } = options;
  assertCols(points, 2, 'scatter points');
  assertFinite(points, 'scatter points');
  if (labels && labels.length !== points.rows) {
    throw new LatentkitError('E_SHAPE', `scatter has ${points.rows} points but ${labels.length} labels`);
  }
  const n = points.rows;
  const radius = options.pointRadius ?? (n > 2000 ? 1.5 : n > 500 ? 2 : 3);
  const groups = new Map<number, ChartPoint[]>();
  for (let i = 0; i < n; i++) {
    const key = labels ? labels[i]! : 0;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push({ x: points.data[2 * i]!, y: points.data[2 * i + 1]! });
  }
  const series: ChartSeries[] = [...groups.keys()]
    .sort((a, b) => a - b)
    .map((key) => ({
      label: labels ? (options.labelNames?.[key] ?? String(key)) : 'points',
      points: groups.get(key)!,
      style: 'points',
      color: categoricalColor(key),
      pointRadius: radius,
      inLegend: labels !== undefined,
    }));
  return lineChartSvg({
    series,
    title: options.title ?? 'Latent space',
    xLabel: options.xLabel ?? 'z1',
    yLabel: options.yLabel ?? 'z2',
    width: options.width ?? 640,
    height: options.height ?? 480,
  });
}
