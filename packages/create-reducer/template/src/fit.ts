import {
  assertFinite,
  columnMeans,
  createRng,
  inputShapeOf,
  LatentkitError,
  throwIfAborted,
  validateDataset,
  type Dataset,
  type FitOptions,
  type FitOutcome,
  type ReducerSettings,
} from '@latentkit/core';
import { __CLASS_NAME__Model, KIND } from './model.js';
import type { __CLASS_NAME__Options } from './options.js';

/** Fits a new model; the settings were already validated against the options schema by latentkit. */
export async function fit__CLASS_NAME__(data: Dataset, settings: ReducerSettings<__CLASS_NAME__Options>, options: FitOptions = {}): Promise<FitOutcome> {
  const t0 = performance.now();
  throwIfAborted(options.signal, `${KIND} fit`);
  validateDataset(data);
  assertFinite(data.x, `dataset "${data.name}"`);
  const D = data.x.cols, d = settings.latentDim;
  if (d >= D) throw new LatentkitError('E_OPTION', `reducer "${KIND}": latent dimension ${d} must be smaller than the input dimension ${D}`);
  const seed = options.seed ?? 0;
  const mean = settings.options.center ? Float32Array.from(columnMeans(data.x)) : new Float32Array(D);
  const basis = orthonormalColumns(D, d, seed);
  options.onProgress?.({ phase: 'fit', fraction: 1 });
  const model = new __CLASS_NAME__Model({ mean, basis, inputShape: inputShapeOf(data), latentDim: d, seed, options: { center: settings.options.center } });
  return { model, result: { seconds: (performance.now() - t0) / 1000 } };
}

/** A Gaussian D×d matrix orthonormalised by modified Gram–Schmidt (float64), from the seed alone. */
function orthonormalColumns(D: number, d: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const cols: Float64Array[] = [];
  for (let k = 0; k < d; k++) {
    const v = Float64Array.from({ length: D }, () => rng.normal());
    for (const u of cols) {
      let dot = 0;
      for (let j = 0; j < D; j++) dot += v[j]! * u[j]!;
      for (let j = 0; j < D; j++) v[j]! -= dot * u[j]!;
    }
    let norm = 0;
    for (let j = 0; j < D; j++) norm += v[j]! * v[j]!;
    norm = Math.sqrt(norm);
    for (let j = 0; j < D; j++) v[j]! /= norm;
    cols.push(v);
  }
  const out = new Float32Array(D * d);
  for (let j = 0; j < D; j++) for (let k = 0; k < d; k++) out[j * d + k] = cols[k]![j]!;
  return out;
}
