// Wiring of the latent tools for the CLI's pictures and the demo report: every computation here is a call into
// @latentkit/latent, @latentkit/run or @latentkit/viz; this file only decides what to compute for which picture.
// Callers check capabilities first: samples and interpolation decode, anomaly scores use decode only when present.
import { selectRows, type Dataset, type Matrix, type Reducer } from '@latentkit/core';
import { heldOutClassAuc, interpolate, nearestNeighbours, sampleDecoded, type LatentDensity } from '@latentkit/latent';
import type { ModelScores } from '@latentkit/run/node';
import type { GridRow } from '@latentkit/viz';

/** Rows of a sample grid: decoded samples from each density, each over its nearest training image (needs decode). */
export async function sampleRows(reducer: Reducer, densities: Readonly<Record<string, LatentDensity>>, train: Matrix, n: number, seed: number): Promise<GridRow[]> {
  const rows: GridRow[] = [];
  for (const [name, density] of Object.entries(densities)) {
    const { images } = await sampleDecoded(reducer, density, n, seed);
    const nn = nearestNeighbours(images, train, 1);
    rows.push({ label: `${name} samples`, images });
    rows.push({ label: 'nearest training image', images: selectRows(train, nn.indices) });
  }
  return rows;
}

/** Pairs of test images of different classes: the first test image of class a and of class b. */
export function interpolationPairs(test: Dataset, pairs: readonly (readonly [number, number])[]): [number, number][] {
  const firstOf = (label: number) => (test.labels ? test.labels.indexOf(label) : -1);
  const out: [number, number][] = [];
  for (const [a, b] of pairs) {
    const i = firstOf(a), j = firstOf(b);
    if (i >= 0 && j >= 0) out.push([i, j]);
  }
  if (out.length === 0) out.push([0, Math.min(1, test.x.rows - 1)]);
  return out;
}

/** One strip per pair: ξ(x, x′, α) for `steps` evenly spaced α (needs encode and decode). */
export async function interpolationRows(reducer: Reducer, x: Matrix, pairs: readonly [number, number][], steps: number, label: (i: number, j: number) => string): Promise<GridRow[]> {
  const rows: GridRow[] = [];
  for (const [i, j] of pairs) {
    const { images } = await interpolate(reducer, selectRows(x, [i]), selectRows(x, [j]), steps);
    rows.push({ label: label(i, j), images });
  }
  return rows;
}

/** ROC AUC of finding a held-out class by each score the model has (reconstruction and combined need decode). */
export interface AnomalyAuc {
  readonly reconstruction?: number;
  readonly density: number;
  readonly combined?: number;
}

/**
 * How well each score of a model fitted without one class finds that class among the test rows. Without a
 * decoder the combined score is the density score rescaled (the same AUC), so it is not reported.
 */
export function heldOutAnomaly(scores: ModelScores, labels: ArrayLike<number>, heldOut: number): AnomalyAuc {
  const auc = (s: ArrayLike<number>) => heldOutClassAuc(s, labels, heldOut);
  return scores.reconstruction ? { reconstruction: auc(scores.reconstruction), density: auc(scores.density), combined: auc(scores.combined) } : { density: auc(scores.density) };
}

/** The rows of a dataset whose label is not `label`. */
export function withoutClass(d: Dataset, label: number): number[] {
  const keep: number[] = [];
  for (let i = 0; i < d.x.rows; i++) if (d.labels![i] !== label) keep.push(i);
  return keep;
}
