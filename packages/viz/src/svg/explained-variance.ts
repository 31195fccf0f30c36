import { LatentkitError } from '@latentkit/core';
import { lineChartSvg, type ChartSeries } from './line-chart.js';
import { categoricalColor } from './palette.js';

/** An autoencoder's result placed on the PCA curve: its variance explained at its latent size. */
export interface VarianceMarker {
  label: string;
  latentDim: number;
  varianceExplained: number;
}

export interface ExplainedVarianceOptions {
  /** PCA explained-variance ratio of each component, largest first. */
  ratios: readonly number[];
  markers?: readonly VarianceMarker[];
  title?: string;
  width?: number;
  height?: number;
}

/** PCA's cumulative explained variance (line) over per-component ratios (bars), with autoencoders as points. */
export function explainedVarianceSvg(options: ExplainedVarianceOptions): string {
  options.ratios.forEach((r, i) => {
    if (!Number.isFinite(r) || r < 0) {
      throw new LatentkitError('E_INPUT_VALUE', `explained-variance ratio ${i + 1} must be a finite number ≥ 0, got ${r}`);
    }
  });
  let total = 0;
  const cumulative = options.ratios.map((r, i) => ({ x: i + 1, y: (total += r) }));
  const series: ChartSeries[] = [
    { label: 'PCA per component', points: options.ratios.map((r, i) => ({ x: i + 1, y: r })), style: 'bars', color: categoricalColor(0) },
    { label: 'PCA cumulative', points: cumulative, style: 'line+points', color: categoricalColor(0), pointRadius: 2 },
    ...(options.markers ?? []).map(
      (m, i): ChartSeries => ({
        label: `${m.label} (d=${m.latentDim})`,
        points: [{ x: m.latentDim, y: m.varianceExplained }],
        style: 'points',
        color: categoricalColor(i + 1),
        pointRadius: 5,
      }),
    ),
  ];
  const ys = [...cumulative.map((p) => p.y), ...(options.markers ?? []).map((m) => m.varianceExplained)];
  return lineChartSvg({
    series,
    title: options.title ?? 'Variance explained vs latent size',
    xLabel: 'latent size d (number of components)',
    yLabel: 'variance explained',
    width: options.width,
    height: options.height,
    // Ratios live in [0, 1]; a negative autoencoder score (worse than the mean) or rounding past 1 widens the axis.
    yDomain: [Math.min(0, ...ys.filter(Number.isFinite)), Math.max(1, ...ys.filter(Number.isFinite))],
    integerX: true,
  });
}
