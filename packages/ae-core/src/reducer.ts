import * as tf from '@tensorflow/tfjs';
import {
  assertCols,
  assertFinite,
  createBundle,
  LatentkitError,
  REDUCER_SPEC_VERSION,
  type Capability,
  type LossPoint,
  type Matrix,
  type ModelBundle,
  type PluginPackage,
  type Reducer,
} from '@latentkit/core';
import type { z } from 'zod';
import { setupBackend } from './backend.js';
import { mapTensorBatches } from './batched.js';
import { lastLossMetrics } from './checkpoint.js';
import { INFERENCE, type Architecture, type ForwardContext, type ParamStore } from './network.js';
import type { TrainableModel } from './train.js';
import type { AutoencoderLayers } from './export/layer-spec.js';
import type { TrainingOptions, TrainingOptionsInput } from './options.js';
import { weightsToBlobs } from './weights.js';
import { assertCorruptionFits, parseCorruption } from './corruption-spec.js';
import { corruptBatch } from './corruption-tf.js';
import { meanSquaredError } from './mean-squared-error.js';
import { InferenceThreads, type InferenceReport } from './parallel/inference-threads.js';
import type { ReplicaPool } from './parallel/pools.js';

/** What an architecture builder gets: the sample shape, d and the validated options. */
export interface ArchitectureContext<Options = Readonly<Record<string, unknown>>> {
  readonly kind: string;
  readonly inputShape: readonly number[];
  readonly latentDim: number;
  readonly options: Options;
}

/** An autoencoder kind's options: its own fields composed with `trainingOptions` by `.extend()`. */
export type AutoencoderOptionsSchema = z.ZodType<TrainingOptions, TrainingOptionsInput>;

/** Everything that makes one autoencoder kind different from another. */
export interface AutoencoderDefinition<S extends AutoencoderOptionsSchema = AutoencoderOptionsSchema> {
  readonly kind: string;
  readonly description: string;
  /** Short name for figures and tables, e.g. "CNN". */
  readonly displayName?: string;
  /** The npm package of the kind, recorded in the bundles and checkpoints it writes. */
  readonly package?: PluginPackage;
  readonly requiresImages?: boolean;
  /**
   * Where a worker thread imports this definition from, for data-parallel training (usually the
   * import.meta.url of the module exporting it). Without it fits train on one thread.
   */
  readonly replica?: { readonly module: string; readonly exportName: string };
  /** Every option of the kind as one zod object (a strict object extending `trainingOptions`). */
  readonly options: S;
  /** Builds fθ and gψ; throws E_SHAPE / E_OPTION for inputs or options it cannot serve. */
  build(ctx: ArchitectureContext<z.output<S>>): Architecture;
  /**
   * What training minimises, when it is not the reconstruction error of `reconstructionModel` (e.g. a
   * VAE's negative ELBO). Worker-thread replicas build it the same way, so it must depend only on its
   * arguments; randomness comes from the ForwardContext's per-step seed.
   */
  objective?(architecture: Architecture, store: ParamStore, ctx: ArchitectureContext<z.output<S>>): TrainableModel;
  /**
   * The fitted model as standard Keras layers (Dense, Conv2D …, weights mapped): with it the kind's plugin
   * offers the "layers" export, a TF.js LayersModel pair (`latentkit export`).
   */
  layers?(model: AutoencoderReducer): AutoencoderLayers;
}

/** What fitting an autoencoder is asked for: d plus any of the kind's options (defaults fill the rest). */
export type AutoencoderSettings<S extends AutoencoderOptionsSchema = AutoencoderOptionsSchema> = { readonly latentDim: number } & z.input<S>;

/** Everything a fitted autoencoder is made of; made by fitAutoencoder or loadAutoencoder. */
export interface AutoencoderState<Options extends TrainingOptions = TrainingOptions> {
  readonly kind: string;
  readonly package?: PluginPackage;
  readonly latentDim: number;
  readonly options: Options;
  readonly inputShape: readonly number[];
  readonly architecture: Architecture;
  /** The fitted weights; the reducer owns them from here on (dispose frees them). */
  readonly store: ParamStore;
  readonly seed: number | null;
  readonly history: readonly LossPoint[];
  /** Where worker threads import the kind's definition from (AutoencoderDefinition.replica), for parallel inference. */
  readonly replica?: AutoencoderDefinition['replica'];
  /** Threads for large encode/decode calls (default 1): a fit passes the threads it trained on. */
  readonly inferenceThreads?: number;
  /** Replicas of this model already running (the fit's training workers); the reducer owns them from here on. */
  readonly inferencePool?: Promise<ReplicaPool | undefined>;
}

/**
 * A fitted autoencoder: encode, decode, save and dispose written once for every kind. It exists only
 * fitted (made by fitAutoencoder or loadAutoencoder); dispose() frees its tensors and makes it unusable.
 */
export class AutoencoderReducer<Options extends TrainingOptions = TrainingOptions> implements Reducer {
  readonly kind: string;
  readonly capabilities: readonly Capability[] = ['encode', 'decode'];
  readonly latentDim: number;
  /** The validated options (defaults filled), as saved in bundles. */
  readonly options: Options;
  readonly inputShape: readonly number[];
  readonly inputDim: number;
  readonly parameterCount: number;
  /** The seed of the fit (null when a bundle did not record one). */
  readonly seed: number | null;
  /** Loss per epoch of the fit (or of the saved model's fit). */
  readonly history: readonly LossPoint[];
  readonly #package: PluginPackage | undefined;
  #fitted: { readonly architecture: Architecture; readonly store: ParamStore } | undefined;
  readonly #inference: InferenceThreads;
  readonly #replica: AutoencoderDefinition['replica'] | undefined;

  /** Use fitAutoencoder / loadAutoencoder (or a kind's fit and load functions); this takes a fitted state. */
  constructor(state: AutoencoderState<Options>) {
    this.kind = state.kind;
    this.#package = state.package;
    this.latentDim = state.latentDim;
    this.options = state.options;
    this.inputShape = [...state.inputShape];
    this.inputDim = state.inputShape.reduce((a, b) => a * b, 1);
    this.parameterCount = state.store.parameterCount;
    this.seed = state.seed;
    this.history = state.history;
    this.#fitted = { architecture: state.architecture, store: state.store };
    const replica = state.replica;
    const context = { kind: this.kind, inputShape: this.inputShape, latentDim: this.latentDim, options: this.options as Readonly<Record<string, unknown>> };
    this.#inference = new InferenceThreads(
      this.kind,
      state.inferenceThreads ?? 1,
      () => ({ source: replica ? { ...replica, context, backend: this.options.backend } : undefined, store: this.#usable().store }),
      state.inferencePool,
    );
    this.#replica = replica;
  }

  /**
   * Threads a large encode or decode (≥ PARALLEL_INFERENCE_MIN_ROWS rows) is split over: this one plus
   * worker-thread replicas (a fitted model keeps its fit's, a loaded one starts them on its first such call),
   * stopped by dispose(). A fitted model uses the threads it trained on, a loaded one 1 (loadAutoencoder's
   * `inferenceThreads` or this setter change it; a new count replaces the replicas). Results equal one thread's
   * bit for bit. Needs useTrainingWorkers() (Node) or useBrowserTrainingWorkers().
   */
  get inferenceThreads(): number {
    return this.#inference.threads;
  }

  set inferenceThreads(threads: number) {
    this.#inference.threads = threads;
  }

  /** Threads the last large encode/decode ran on, and why fewer than asked when replicas could not be had. */
  get inferenceReport(): InferenceReport {
    return this.#inference.report;
  }

  /**
   * The inference settings and running replicas, for a reducer taking over this one's state (as the VAE's does):
   * this one keeps its settings but no longer owns the replicas.
   */
  handOverInference(): Pick<AutoencoderState, 'replica' | 'inferenceThreads' | 'inferencePool'> {
    const pool = this.#inference.release();
    return { ...(this.#replica ? { replica: this.#replica } : {}), inferenceThreads: this.#inference.threads, ...(pool ? { inferencePool: pool } : {}) };
  }

  /** The fitted weights (read-only use: tests, inspection). */
  get params(): ParamStore {
    return this.#usable().store;
  }

  async encode(x: Matrix): Promise<Matrix> {
    const f = this.#usable();
    assertCols(x, this.inputDim, `${this.kind} encode input`);
    assertFinite(x, `${this.kind} encode input`);
    await setupBackend(this.options.backend);
    return this.#inference.map('encode', x, this.latentDim, (m) => mapTensorBatches(m, this.latentDim, (b) => f.architecture.encode(f.store.vars, b, INFERENCE)));
  }

  async decode(z: Matrix): Promise<Matrix> {
    const f = this.#usable();
    assertCols(z, this.latentDim, `${this.kind} decode input`);
    assertFinite(z, `${this.kind} decode input`);
    await setupBackend(this.options.backend);
    return this.#inference.map('decode', z, this.inputDim, (m) => mapTensorBatches(m, this.inputDim, (b) => f.architecture.decode(f.store.vars, b, INFERENCE)));
  }

  async save(): Promise<ModelBundle> {
    const f = this.#usable();
    return createBundle({
      kind: this.kind,
      specVersion: REDUCER_SPEC_VERSION,
      ...(this.#package ? { plugin: this.#package } : {}),
      options: this.options,
      inputShape: this.inputShape,
      latentDim: this.latentDim,
      seed: this.seed,
      metrics: lastLossMetrics(this.history),
      extra: { history: this.history, parameterCount: this.parameterCount },
      blobs: weightsToBlobs(f.store),
    });
  }

  /** Frees the weights' tensors and stops the inference threads; any later use throws. */
  dispose(): void {
    void this.#inference.close();
    this.#fitted?.store.dispose();
    this.#fitted = undefined;
  }

  #usable(): { readonly architecture: Architecture; readonly store: ParamStore } {
    if (!this.#fitted) throw new LatentkitError('E_NOT_FITTED', `this ${this.kind} model was disposed`);
    return this.#fitted;
  }
}

/** The training objective of a kind: its own `objective`, or the reconstruction error. */
export function trainingObjective<S extends AutoencoderOptionsSchema>(
  def: AutoencoderDefinition<S>,
  architecture: Architecture,
  store: ParamStore,
  ctx: ArchitectureContext<z.output<S>>,
): TrainableModel {
  return def.objective ? def.objective(architecture, store, ctx) : reconstructionModel(architecture, store, ctx);
}

/**
 * The autoencoder's training objective, per-element MSE between x and g(f(x)), and its encoder fθ. With a
 * context whose options ask for a corruption (`corrupt`), training steps minimise ‖g(f(corrupt(x))) − x‖²
 * instead, corrupting with the step's seed; without a seed (inference, validation loss) nothing is corrupted.
 */
export function reconstructionModel(architecture: Architecture, store: ParamStore, context?: Pick<ArchitectureContext<Partial<TrainingOptions>>, 'inputShape' | 'options'>): TrainableModel {
  const corruption = parseCorruption(context?.options.corrupt ?? 'none');
  if (context) assertCorruptionFits(corruption, context.inputShape);
  const inputOf = (x: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D =>
    corruption.type !== 'none' && ctx.training && ctx.seed !== undefined ? corruptBatch(x, corruption, context!.inputShape, ctx.seed) : x;
  return {
    store,
    loss: (x: tf.Tensor2D, ctx: ForwardContext) => meanSquaredError(architecture.decode(store.vars, architecture.encode(store.vars, inputOf(x, ctx), ctx), ctx), x),
    // Exposed so the training loop also watches the codes (exploding or non-finite codes end an attempt).
    encode: (x: tf.Tensor2D, ctx: ForwardContext) => architecture.encode(store.vars, x, ctx),
  };
}
