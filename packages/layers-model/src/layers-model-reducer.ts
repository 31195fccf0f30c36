import * as tf from '@tensorflow/tfjs';
import { mapTensorBatches, setupBackend, type LayersModelFiles } from '@latentkit/ae-core';
import {
  assertCols,
  assertFinite,
  createBundle,
  LatentkitError,
  REDUCER_SPEC_VERSION,
  type BundleBlob,
  type Capability,
  type Matrix,
  type ModelBundle,
  type Reducer,
} from '@latentkit/core';
import type { LayersModelOptions } from './options.js';
import { LAYERS_MODEL_KIND, LAYERS_MODEL_PACKAGE } from './package-info.js';

/** One opened LayersModel with its files in canonical form (model.json + one weight shard), as bundles store them. */
export interface OpenedModel {
  readonly model: tf.LayersModel;
  readonly files: LayersModelFiles;
  /** The shape of one input sample and of one output, without the batch axis. */
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
}

/** Everything a LayersModelReducer is made of; made by the plugin's fit (which loads) or load. */
export interface LayersModelState {
  readonly options: LayersModelOptions;
  readonly inputShape: readonly number[];
  readonly latentDim: number;
  readonly encoder: OpenedModel;
  readonly decoder?: OpenedModel;
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * A TF.js encoder (and optional decoder) as a fitted reducer over flat rows: rows are reshaped to the
 * encoder's input shape, codes flattened to d numbers; the decoder's output is flattened back to D.
 * Capabilities: encode, plus decode when a decoder was given (decode is absent otherwise).
 */
export class LayersModelReducer implements Reducer {
  readonly kind = LAYERS_MODEL_KIND;
  readonly capabilities: readonly Capability[];
  readonly latentDim: number;
  readonly inputDim: number;
  readonly inputShape: readonly number[];
  readonly parameterCount: number;
  readonly options: LayersModelOptions;
  readonly decode?: (z: Matrix) => Promise<Matrix>;
  #state: LayersModelState | undefined;

  constructor(state: LayersModelState) {
    this.options = state.options;
    this.inputShape = [...state.inputShape];
    this.inputDim = size(state.inputShape);
    this.latentDim = state.latentDim;
    this.capabilities = state.decoder ? ['encode', 'decode'] : ['encode'];
    this.parameterCount = state.encoder.model.countParams() + (state.decoder?.model.countParams() ?? 0);
    this.#state = state;
    if (state.decoder) this.decode = (z) => this.#decodeRows(z);
  }

  async encode(x: Matrix): Promise<Matrix> {
    const { encoder } = this.#usable();
    assertCols(x, this.inputDim, 'layers-model encode input');
    assertFinite(x, 'layers-model encode input');
    await setupBackend(this.options.backend);
    return mapTensorBatches(x, this.latentDim, (b) => run(encoder, b, this.latentDim));
  }

  async #decodeRows(z: Matrix): Promise<Matrix> {
    const decoder = this.#usable().decoder!;
    assertCols(z, this.latentDim, 'layers-model decode input');
    assertFinite(z, 'layers-model decode input');
    await setupBackend(this.options.backend);
    return mapTensorBatches(z, this.inputDim, (b) => run(decoder, b, this.inputDim));
  }

  /** The models' files travel inside the bundle: loading it needs neither the original paths nor a network. */
  async save(): Promise<ModelBundle> {
    const s = this.#usable();
    const blobs: Record<string, BundleBlob> = {};
    for (const [name, part] of [['encoder', s.encoder], ['decoder', s.decoder]] as const) {
      if (!part) continue;
      blobs[`${name}.model.json`] = uint8Blob(part.files.modelJson);
      blobs[`${name}.weights.bin`] = uint8Blob(part.files.weightsBin);
    }
    return createBundle({
      kind: this.kind,
      specVersion: REDUCER_SPEC_VERSION,
      plugin: LAYERS_MODEL_PACKAGE,
      options: this.options,
      inputShape: this.inputShape,
      latentDim: this.latentDim,
      seed: null,
      extra: { parameterCount: this.parameterCount },
      blobs,
    });
  }

  dispose(): void {
    this.#state?.encoder.model.dispose();
    this.#state?.decoder?.model.dispose();
    this.#state = undefined;
  }

  #usable(): LayersModelState {
    if (!this.#state) throw new LatentkitError('E_NOT_FITTED', 'this layers-model model was disposed');
    return this.#state;
  }
}

function run(part: OpenedModel, rows: tf.Tensor2D, outCols: number): tf.Tensor2D {
  const n = rows.shape[0];
  const y = part.model.predict(tf.reshape(rows, [n, ...part.inputShape]), { batchSize: Math.max(n, 1) }) as tf.Tensor;
  return tf.reshape(y, [n, outCols]);
}

function uint8Blob(bytes: Uint8Array): BundleBlob {
  return { dtype: 'uint8', shape: [bytes.byteLength], bytes };
}
