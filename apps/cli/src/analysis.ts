// Wiring of the latent tools for the CLI's commands and the demo report: every computation here is a call
// into @latentkit/latent or @latentkit/viz; this file only decides what to compute for which picture.
import { concatRows, selectRows, type Dataset, type Matrix, type Reducer } from '@latentkit/core';
import {
  fitGaussian,
  fitGaussianMixture,
  heldOutClassAuc,
  interpolate,
  nearestNeighbours,
  sampleDecoded,
  scoreDataset,
  type AnomalyScores,
  type LatentDensity,
} from '@latentkit/latent';
import type { GridRow } from '@latentkit/viz';

export interface LatentFit {
  readonly gaussian: LatentDensity;
  readonly gmm: LatentDensity;
}

/** Gaussian and BIC-selected mixture densities fitted to the training codes. */
export async function fitLatentDensities(trainCodes: Matrix, seed: number, signal?: AbortSignal, maxComponents = 10): Promise<LatentFit> {
  const gaussian = fitGaussian(trainCodes, { covariance: 'full' });
  // k by BIC over 1..maxComponents like the lecture's "we don't know the right latent density": let the data choose.
  // k is chosen on a 10k subset, then only the winner is refitted on every code: same choice, far less work.
  const gmm = await fitGaussianMixture(trainCodes, { kRange: [1, maxComponents], seed, covariance: 'full', selectionSampleSize: 10_000, ...(signal ? { signal } : {}) });
  return { gaussian, gmm };
}

/** Rows of a sample grid: decoded samples from each density, each over its nearest training image. */
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

/** One strip per pair: ξ(x, x′, α) for `steps` evenly spaced α. */
export async function interpolationRows(reducer: Reducer, x: Matrix, pairs: readonly [number, number][], steps: number, label: (i: number, j: number) => string): Promise<GridRow[]> {
  const rows: GridRow[] = [];
  for (const [i, j] of pairs) {
    const { images } = await interpolate(reducer, selectRows(x, [i]), selectRows(x, [j]), steps);
    rows.push({ label: label(i, j), images });
  }
  return rows;
}

export interface AnomalyResult {
  readonly heldOut: number;
  readonly auc: { readonly reconstruction: number; readonly density: number; readonly combined: number };
  readonly scores: AnomalyScores;
}

/** Scores the test set with a model fitted without one class; AUC says how well each score finds that class. */
export async function heldOutAnomaly(reducer: Reducer, density: LatentDensity, train: Dataset, test: Dataset, heldOut: number): Promise<AnomalyResult> {
  const scores = await scoreDataset(reducer, density, test, { reference: train });
  const labels = test.labels!;
  return {
    heldOut,
    scores,
    auc: {
      reconstruction: heldOutClassAuc(scores.reconstruction, labels, heldOut),
      density: heldOutClassAuc(scores.density, labels, heldOut),
      combined: heldOutClassAuc(scores.combined, labels, heldOut),
    },
  };
}

/** The rows of a dataset whose label is not `label`. */
export function withoutClass(d: Dataset, label: number): number[] {
  const keep: number[] = [];
  for (let i = 0; i < d.x.rows; i++) if (d.labels![i] !== label) keep.push(i);
  return keep;
}

/** Codes of train then test points, in that order (the run folder's point order). */
export async function encodeAll(reducer: Reducer, parts: readonly Matrix[]): Promise<{ all: Matrix; parts: Matrix[] }> {
  const encoded: Matrix[] = [];
  for (const p of parts) encoded.push(await reducer.encode(p));
  return { all: concatRows(encoded), parts: encoded };
}
