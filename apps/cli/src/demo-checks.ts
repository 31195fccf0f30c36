import type { Matrix } from '@latentkit/core';
import { imageHealth } from '@latentkit/viz';

/** One thing the demo found wrong with its own output: shown on the terminal and at the top of the report. */
export interface DemoWarning {
  readonly model: string;
  readonly message: string;
}

/** Decoded images of one figure, e.g. a model's Gaussian samples or one interpolation strip. */
export interface DecodedFigure {
  readonly model: string;
  readonly figure: string;
  readonly images: Matrix;
}

/** Figures a person would see as blank, flat or all alike: the mark of a collapsed model. */
export function figureWarnings(figures: readonly DecodedFigure[]): DemoWarning[] {
  const out: DemoWarning[] = [];
  for (const f of figures) {
    const health = imageHealth(f.images);
    if (!health.ok) out.push({ model: f.model, message: `${f.figure}: ${health.summary}` });
  }
  return out;
}

export interface MseRow {
  readonly reducer: string;
  readonly latentDim: number;
  readonly testMse?: number;
}

/**
 * Models that do not beat the linear baseline (the spectrum's reducer, PCA among the built-ins) at the same d:
 * a nonlinear model that cannot do that has not trained, whatever its figures look like.
 */
export function baselineWarnings(rows: readonly MseRow[], baselineKind: string | undefined, name: (kind: string) => string): DemoWarning[] {
  const out: DemoWarning[] = [];
  for (const r of rows) {
    if (r.reducer === baselineKind || r.testMse === undefined) continue;
    const baseline = rows.find((b) => b.reducer === baselineKind && b.latentDim === r.latentDim && b.testMse !== undefined);
    if (baseline && r.testMse >= baseline.testMse!) {
      out.push({ model: r.reducer, message: `test MSE ${r.testMse.toFixed(5)} at d=${r.latentDim} is not below ${name(baseline.reducer)}'s ${baseline.testMse!.toFixed(5)}` });
    }
  }
  return out;
}
