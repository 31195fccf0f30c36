import { lineChartSvg, type ChartSeries } from './line-chart.js';
import { categoricalColor } from './palette.js';

export interface LossPoint {
  epoch: number;
  loss: number;
  valLoss?: number;
}

export interface LossCurvesOptions {
  series: readonly { label: string; points: readonly LossPoint[] }[];
  title?: string;
  /** Log-scale loss axis; non-positive losses are then left out. */
  logScale?: boolean;
  width?: number;
  height?: number;
}

/** Training (solid) and validation (dashed) loss per epoch, one colour per model. Non-finite losses leave gaps. */
export function lossCurvesSvg(options: LossCurvesOptions): string {
  const series: ChartSeries[] = options.series.flatMap((s, i) => {
    const color = categoricalColor(i);
    const hasVal = s.points.some((p) => p.valLoss !== undefined);
    const train: ChartSeries = {
      label: hasVal ? `${s.label} train` : s.label,
      points: s.points.map((p) => ({ x: p.epoch, y: p.loss })),
      style: s.points.length === 1 ? 'points' : 'line',
      color,
    };
    if (!hasVal) return [train];
    const val: ChartSeries = {
      label: `${s.label} validation`,
      points: s.points.map((p) => ({ x: p.epoch, y: p.valLoss ?? NaN })),
      style: s.points.length === 1 ? 'points' : 'line',
      color,
      dashed: true,
    };
    return [train, val];
  });
  return lineChartSvg({
    series,
    title: options.title ?? 'Loss curves',
    xLabel: 'epoch',
    yLabel: options.logScale ? 'loss (log scale)' : 'loss',
    logY: options.logScale ?? false,
    integerX: true,
    width: options.width,
    height: options.height,
  });
}
