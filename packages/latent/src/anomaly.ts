import {
  LatentkitError,
  canReconstruct,
  concatRows,
  encodeWith,
  decodeWith,
  rocAuc,
  rowMse,
  sliceRows,
  throwIfAborted,
  type Dataset,
  type Matrix,
  type Reducer,
} from '@latentkit/core';
import type { LatentDensity } from './density.js';

export interface ScoringOptions {
  /** Rows encoded and decoded at a time, bounding memory for large datasets (default 1024). */
  readonly batchSize?: number;
  readonly signal?: AbortSignal;
}

export interface AnomalyScores {
  /** Per-sample reconstruction MSE; absent for reducers that cannot decode (e.g. UMAP). */
  readonly reconstruction?: Float64Array;
  /** Per-sample negative log density of the code. */
  readonly density: Float64Array;
  /** Sum of the standardised scores available (higher = more anomalous): density alone without a decoder. */
  readonly combined: Float64Array;
}

/** Reference scores whose mean and standard deviation standardise the scores being combined. */
export interface ScoreReference {
  readonly reconstruction?: ArrayLike<number>;
  readonly density: ArrayLike<number>;
}

function batchSizeOf(options: ScoringOptions): number {
  const b = options.batchSize ?? 1024;
  if (!Number.isInteger(b) || b < 1) throw new LatentkitError('E_OPTION', `batchSize must be an integer ≥ 1, got ${b}`);
  return b;
}

function assertInputWidth(reducer: Reducer, x: Matrix): void {
  if (x.rows === 0) throw new LatentkitError('E_EMPTY', 'no samples to score');
  if (reducer.inputDim !== undefined && x.cols !== reducer.inputDim) {
    throw new LatentkitError('E_SHAPE', `samples have ${x.cols} features but the ${reducer.kind} model expects ${reducer.inputDim}`);
  }
}

/**
 * Encodes batch by batch, keeping the codes and — when the reducer can decode — the per-sample
 * reconstruction MSE.
 */
async function encodeAndReconstruct(reducer: Reducer, x: Matrix, options: ScoringOptions, requireDecode = false): Promise<{ codes: Matrix; reconstruction?: Float64Array }> {
  assertInputWidth(reducer, x);
  const batchSize = batchSizeOf(options);
  const decodes = requireDecode || canReconstruct(reducer);
  const reconstruction = decodes ? new Float64Array(x.rows) : undefined;
  const codeParts: Matrix[] = [];
  for (let start = 0; start < x.rows; start += batchSize) {
    throwIfAborted(options.signal, 'anomaly scoring');
    const batch = sliceRows(x, start, start + batchSize);
    const codes = await encodeWith(reducer, batch, 'anomaly scores');
    if (reconstruction) reconstruction.set(rowMse(batch, await decodeWith(reducer, codes, 'reconstruction anomaly scores')), start);
    codeParts.push(codes);
  }
  return { codes: concatRows(codeParts), ...(reconstruction ? { reconstruction } : {}) };
}

/** Per-sample reconstruction MSE, ‖x − g(f(x))‖² / D (needs encode and decode: E_UNSUPPORTED otherwise). */
export async function reconstructionScores(reducer: Reducer, x: Matrix, options: ScoringOptions = {}): Promise<Float64Array> {
  return (await encodeAndReconstruct(reducer, x, options, true)).reconstruction!;
}

/** Per-sample negative log density −log p(z): low-density codes score high. */
export function densityScores(density: LatentDensity, codes: Matrix): Float64Array {
  const log = density.logDensity(codes);
  return log.map((v) => -v);
}

function meanAndStd(values: ArrayLike<number>, what: string): { mean: number; std: number } {
  const n = values.length;
  if (n === 0) throw new LatentkitError('E_EMPTY', `${what} reference scores are empty`);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
  const std = Math.sqrt(ss / n);
  if (!Number.isFinite(mean) || !Number.isFinite(std)) throw new LatentkitError('E_INPUT_VALUE', `${what} reference scores are not all finite`);
  return { mean, std };
}

/**
 * Standardises each score with the mean and (population) standard deviation of its reference
 * scores and adds them, so neither score's units dominate. The reference defaults to the scores
 * themselves; pass training-set scores to measure "how unusual compared with training". A
 * reference with zero spread is left unscaled (std treated as 1) rather than dividing by zero.
 */
export function combinedScores(
  reconstruction: ArrayLike<number> | undefined,
  nll: ArrayLike<number>,
  options: { fitOn?: ScoreReference } = {},
): Float64Array {
  if (reconstruction && reconstruction.length !== nll.length) {
    throw new LatentkitError('E_SHAPE', `${reconstruction.length} reconstruction scores but ${nll.length} density scores`);
  }
  const ref = options.fitOn ?? { reconstruction, density: nll };
  if (reconstruction && !ref.reconstruction) throw new LatentkitError('E_SHAPE', 'the reference has no reconstruction scores to standardise against');
  const r = reconstruction ? meanAndStd(ref.reconstruction!, 'reconstruction') : undefined;
  const p = meanAndStd(ref.density, 'density');
  const out = new Float64Array(nll.length);
  for (let i = 0; i < out.length; i++) {
    const fromDensity = (nll[i]! - p.mean) / (p.std || 1);
    out[i] = r ? (reconstruction![i]! - r.mean) / (r.std || 1) + fromDensity : fromDensity;
  }
  return out;
}

async function rawScores(reducer: Reducer, density: LatentDensity, x: Matrix, options: ScoringOptions): Promise<{ reconstruction?: Float64Array; density: Float64Array }> {
  if (density.dim !== reducer.latentDim) {
    throw new LatentkitError('E_SHAPE', `the ${density.kind} density is ${density.dim}-dimensional but the ${reducer.kind} model's codes have ${reducer.latentDim}`);
  }
  const { codes, reconstruction } = await encodeAndReconstruct(reducer, x, options);
  return { ...(reconstruction ? { reconstruction } : {}), density: densityScores(density, codes) };
}

/**
 * Reconstruction, density and combined anomaly scores for every sample of a dataset. The combined
 * score is standardised against `reference` (e.g. the training set) when given, else the dataset.
 */
export async function scoreDataset(
  reducer: Reducer,
  density: LatentDensity,
  dataset: Dataset,
  options: ScoringOptions & { reference?: Dataset } = {},
): Promise<AnomalyScores> {
  const scores = await rawScores(reducer, density, dataset.x, options);
  const fitOn = options.reference ? await rawScores(reducer, density, options.reference.x, options) : scores;
  return { ...scores, combined: combinedScores(scores.reconstruction, scores.density, { fitOn }) };
}

/**
 * ROC AUC of detecting the held-out class by score: positives are samples whose label equals
 * `heldOut`. 1 = every held-out sample outscored every other, 0.5 = chance.
 */
export function heldOutClassAuc(scores: ArrayLike<number>, labels: ArrayLike<number>, heldOut: number): number {
  if (scores.length !== labels.length) throw new LatentkitError('E_SHAPE', `${scores.length} scores but ${labels.length} labels`);
  const positive = Array.from(labels, (l) => l === heldOut);
  if (!positive.includes(true)) throw new LatentkitError('E_INPUT_VALUE', `no sample has the held-out label ${heldOut}`);
  if (!positive.includes(false)) throw new LatentkitError('E_INPUT_VALUE', `every sample has the held-out label ${heldOut}`);
  return rocAuc(scores, positive);
}
