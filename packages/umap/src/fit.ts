import {
  assertFinite,
  createRng,
  inputShapeOf,
  LatentkitError,
  throwIfAborted,
  validateDataset,
  validateOptions,
  type Dataset,
  type FitOptions,
  type FitOutcome,
  type ReducerSettings,
} from '@latentkit/core';
import { UMAP } from 'umap-js';
import { findABParams } from 'umap-js/dist/umap.js';
import { knnGraph } from './knn-graph.js';
import { startLayout } from './layout.js';
import { setUpLayout } from './layout-setup.js';
import { trainingRows } from './neighbors.js';
import { umapOptions, type UmapOptions, type UmapOptionsInput } from './options.js';
import { UMAP_PACKAGE } from './package-info.js';
import { UMAP_KIND, UmapModel } from './umap-model.js';
import { createYielder, yieldToEventLoop } from './yield.js';

/** Rough share of a fit spent on the neighbour graph, for the progress fraction. */
const NEIGHBOR_SHARE = 0.3;

/**
 * Fits UMAP as umap-js 1.4.0 does, seeded, and bit for bit: what umap-js would compute given our exact
 * neighbour graph (knn-graph.ts, in place of its approximate NN-descent; it needs no randomness) and
 * `random` = createRng(seed).next, so one seed gives one embedding. The search yields between batches;
 * umap-js's initializeFit (fuzzy graph, edge schedule, initial positions) is redone on typed arrays
 * (layout-setup.ts), and its epochs run in our WebAssembly kernel (layout.ts), reporting progress and
 * checking the signal between epochs.
 */
export async function fitUmap(data: Dataset, settings: ReducerSettings<UmapOptionsInput>, fitOptions: FitOptions = {}): Promise<FitOutcome> {
  const started = performance.now();
  const { signal, onProgress } = fitOptions;
  // Validated again here: plugins are also called without a registry.
  const options: UmapOptions = await validateOptions(UMAP_KIND, umapOptions, settings.options);
  validateDataset(data);
  const { rows: n, cols: D } = data.x;
  const d = checkLatentDim(settings.latentDim, D);
  if (n <= options.nNeighbors) {
    throw new LatentkitError('E_OPTION', `reducer "umap": nNeighbors (${options.nNeighbors}) must be smaller than the number of rows (${n}); lower nNeighbors or pass more rows`);
  }
  assertFinite(data.x, `dataset "${data.name}"`);
  const { a, b } = curveParameters(options);
  const seed = fitOptions.seed ?? 0;
  throwIfAborted(signal, 'umap fit');

  onProgress?.({ phase: 'neighbors', fraction: 0, message: `nearest neighbours of ${n} rows` });
  // Let a cancel already on its way land before the neighbour search.
  await yieldToEventLoop();
  throwIfAborted(signal, 'umap fit');
  const graph = await knnGraph(trainingRows(data.x.data, n, D, options.metric), options.nNeighbors, {
    ...(signal ? { signal } : {}),
    onFraction: (f) => onProgress?.({ phase: 'neighbors', fraction: NEIGHBOR_SHARE * f }),
  });
  throwIfAborted(signal, 'umap fit');
  // umap-js's initializeFit, value for value (layout-setup.ts): the initial positions are the first
  // n·d draws of createRng(seed), and the kernel's copy of the RNG continues after them.
  const setup = setUpLayout(new UMAP(), graph, { nNeighbors: options.nNeighbors, dim: d, nEpochs: options.nEpochs === 'auto' ? 0 : options.nEpochs, a, b }, createRng(seed));
  const { epochs } = setup;
  const layout = await startLayout(setup, seed, setup.embedding.length);
  let embedding: Float32Array;
  try {
    const pause = createYielder();
    for (let epoch = 1; epoch <= epochs; epoch++) {
      throwIfAborted(signal, 'umap fit');
      layout.step();
      onProgress?.({ phase: 'layout', epoch, epochs, fraction: NEIGHBOR_SHARE + ((1 - NEIGHBOR_SHARE) * epoch) / epochs });
      await pause();
    }
    embedding = Float32Array.from(layout.embedding());
  } finally {
    layout.dispose();
  }
  if (embedding.some((v) => !Number.isFinite(v))) throw new LatentkitError('E_DIVERGED', 'umap layout produced a non-finite coordinate');
  const model = new UmapModel({
    options,
    inputShape: inputShapeOf(data),
    training: data.x.data.slice(),
    embedding,
    rows: n,
    latentDim: d,
    seed,
    a,
    b,
    package: UMAP_PACKAGE,
  });
  return {
    model,
    result: { seconds: (performance.now() - started) / 1000, info: { epochs, nNeighbors: options.nNeighbors, metric: options.metric } },
    embedding: { data: embedding.slice(), rows: n, cols: d },
  };
}

/** d must be a whole number of dimensions, fewer than the input has (more is no reduction). */
function checkLatentDim(d: number, D: number): number {
  if (!Number.isInteger(d) || d < 1) throw new LatentkitError('E_OPTION', `reducer "umap": latent dimension must be an integer ≥ 1, got ${String(d)}`);
  if (d >= D) throw new LatentkitError('E_OPTION', `reducer "umap": latent dimension ${d} must be smaller than the input dimension ${D}`);
  return d;
}

/** umap-js's fit of the curve 1 / (1 + a·r^(2b)) to the (spread, minDist) target; refused when it fails. */
export function curveParameters(options: Pick<UmapOptions, 'spread' | 'minDist'>): { a: number; b: number } {
  const { a, b } = findABParams(options.spread, options.minDist);
  if (!Number.isFinite(a) || !Number.isFinite(b) || a <= 0 || b <= 0) {
    throw new LatentkitError('E_OPTION', `reducer "umap": spread ${options.spread} and minDist ${options.minDist} give no usable layout curve`);
  }
  return { a, b };
}
