import {
  assertCols,
  assertFinite,
  crc32,
  createBundle,
  float32Blob,
  LatentkitError,
  REDUCER_SPEC_VERSION,
  type Matrix,
  type ModelBundle,
  type PluginPackage,
  type Reducer,
} from '@latentkit/core';
import { nearestRowsBlock } from './block-search.js';
import { trainingRows, type TrainingRows } from './neighbors.js';
import { encodeEpochs, type UmapOptions } from './options.js';
import { placeRow, rowSeed, type Layout } from './transform.js';
import { releaseKernelFor } from './wasm/knn-kernel.js';
import { releasePlaceKernelFor } from './wasm/place-kernel.js';
import { createYielder } from './yield.js';

/** Rows whose neighbours are searched together: one kernel query block, about 50 ms of work on MNIST. */
const ENCODE_BATCH = 64;

export const UMAP_KIND = 'umap';

/** Everything a fitted UMAP holds; fit and load both build one. */
export interface UmapState {
  readonly options: UmapOptions;
  readonly inputShape: readonly number[];
  /** The training rows, row-major n×D: encode searches them for a new row's neighbours. */
  readonly training: Float32Array;
  /** Their fitted layout, row-major n×d. */
  readonly embedding: Float32Array;
  readonly rows: number;
  readonly latentDim: number;
  readonly seed: number;
  /** umap-js's curve parameters for (spread, minDist), kept so a loaded model needs no refit of them. */
  readonly a: number;
  readonly b: number;
  readonly package: PluginPackage;
}

interface Fitted {
  readonly state: UmapState;
  readonly train: TrainingRows;
  readonly layout: Layout;
}

/**
 * A fitted UMAP: encode places new rows into the fitted layout (no decode: UMAP has no inverse map).
 *
 * Memory: the model and its bundle hold the training rows and their layout as float32, 4·n·(D + d)
 * bytes, e.g. 6.3 MB for 2,000 MNIST digits (D = 784) in 2-D, plus a manifest of a few hundred bytes.
 * Nothing else is needed: encode's neighbour search is exact and its optimisation is seeded per row.
 * While encoding, the search kernel keeps its own copy of the training rows (at most 64 MB at a time, see
 * block-search.ts) for the next call; dispose() lets it go.
 */
export class UmapModel implements Reducer {
  readonly kind = UMAP_KIND;
  readonly capabilities = ['encode'] as const;
  readonly latentDim: number;
  readonly inputDim: number;
  readonly inputShape: readonly number[];
  readonly parameterCount: number;
  /** Dropped by dispose(), so the training rows can be collected. */
  #fitted: Fitted | undefined;

  constructor(state: UmapState) {
    this.latentDim = state.latentDim;
    this.inputShape = [...state.inputShape];
    this.inputDim = state.training.length / state.rows;
    // The fitted parameters are the layout's coordinates.
    this.parameterCount = state.rows * state.latentDim;
    this.#fitted = {
      state,
      train: trainingRows(state.training, state.rows, this.inputDim, state.options.metric),
      layout: { embedding: state.embedding, rows: state.rows, dim: state.latentDim, a: state.a, b: state.b, epochs: encodeEpochs(state.options) },
    };
  }

  /** Codes for any rows; each row's code depends only on that row (and the model), never on its batch. */
  async encode(x: Matrix): Promise<Matrix> {
    const { state, train, layout } = this.#live();
    assertCols(x, this.inputDim, 'umap encode input');
    assertFinite(x, 'umap encode input');
    const out = new Float32Array(x.rows * this.latentDim);
    const pause = createYielder();
    for (let first = 0; first < x.rows; first += ENCODE_BATCH) {
      const count = Math.min(ENCODE_BATCH, x.rows - first);
      // Exact neighbours, so searching rows together changes nothing about any one row's result.
      const batch = nearestRowsBlock(train, x.data.subarray(first * x.cols, (first + count) * x.cols), count, state.options.nNeighbors);
      for (let b = 0; b < count; b++) {
        const i = first + b;
        const row = x.data.subarray(i * x.cols, (i + 1) * x.cols);
        const hash = crc32(new Uint8Array(row.buffer, row.byteOffset, row.byteLength));
        placeRow(layout, batch[b]!, rowSeed(state.seed, hash), out, i * this.latentDim);
        await pause();
      }
    }
    return { data: out, rows: x.rows, cols: this.latentDim };
  }

  async save(): Promise<ModelBundle> {
    const s = this.#live().state;
    return createBundle({
      kind: UMAP_KIND,
      specVersion: REDUCER_SPEC_VERSION,
      plugin: s.package,
      options: s.options,
      inputShape: s.inputShape,
      latentDim: s.latentDim,
      seed: s.seed,
      extra: { a: s.a, b: s.b },
      blobs: {
        training: float32Blob(s.training, [s.rows, this.inputDim]),
        embedding: float32Blob(s.embedding, [s.rows, s.latentDim]),
      },
    });
  }

  dispose(): void {
    if (this.#fitted) {
      releaseKernelFor(this.#fitted.train);
      releasePlaceKernelFor(this.#fitted.state.embedding);
    }
    this.#fitted = undefined;
  }

  #live(): Fitted {
    if (!this.#fitted) throw new LatentkitError('E_NOT_FITTED', 'this umap model was disposed');
    return this.#fitted;
  }
}
