import * as tf from '@tensorflow/tfjs';
import {
  assertCols,
  assertFinite,
  createBundle,
  createRng,
  inputShapeOf,
  isLatentkitError,
  LatentkitError,
  REDUCER_SPEC_VERSION,
  resolveOptions,
  validateDataset,
  type CreateReducerOptions,
  type Dataset,
  type FitOptions,
  type FitResult,
  type LossPoint,
  type Matrix,
  type ModelBundle,
  type OptionSpecs,
  type OptionValue,
  type Reducer,
} from '@latentkit/core';
import { setupBackend } from './backend.js';
import { mapTensorBatches } from './batched.js';
import { INFERENCE, ParamStore, type Architecture, type ForwardContext } from './network.js';
import { assertLatentDim, trainingOptionsFrom, trainingOptionSpecs, type TrainingDefaults } from './options.js';
import { checkpointToBundle, lastLossMetrics, modelPartOf, trainStateFromBundle, type CheckpointIdentity } from './checkpoint.js';
import { assertResumable, dataFingerprint } from './resume.js';
import { trainModel, type TrainableModel, type TrainHooks } from './train.js';
import { weightsFromBundle, weightsToBlobs } from './weights.js';

/** What an architecture builder gets: the sample shape, d and the resolved options. */
export interface ArchitectureContext {
  readonly kind: string;
  readonly inputShape: readonly number[];
  readonly latentDim: number;
  readonly options: Readonly<Record<string, OptionValue>>;
}

/** Everything that makes one autoencoder kind different from another. */
export interface AutoencoderDefinition {
  readonly kind: string;
  readonly description: string;
  /** Architecture options; the shared training options are added to them. */
  readonly architectureOptions: OptionSpecs;
  readonly trainingDefaults?: TrainingDefaults;
  readonly requiresImages?: boolean;
  /** Builds fθ and gψ; throws E_SHAPE / E_OPTION for inputs or options it cannot serve. */
  build(ctx: ArchitectureContext): Architecture;
}

/** All option specs of an autoencoder kind: its architecture options plus the training options. */
export function autoencoderOptionSpecs(def: AutoencoderDefinition): OptionSpecs {
  return { ...def.architectureOptions, ...trainingOptionSpecs(def.trainingDefaults) };
}

interface Fitted {
  readonly inputShape: readonly number[];
  readonly architecture: Architecture;
  readonly store: ParamStore;
  readonly seed: number | null;
  readonly history: readonly LossPoint[];
}

/**
 * The generic autoencoder reducer: fit/encode/decode/save/dispose written once; kinds differ only in
 * their AutoencoderDefinition. Trains by minimising per-pixel MSE ‖x − g(f(x))‖² / D.
 */
export class AutoencoderReducer implements Reducer {
  readonly kind: string;
  readonly latentDim: number;
  /** Resolved options (defaults filled), as saved in bundles. */
  readonly options: Readonly<Record<string, OptionValue>>;
  readonly #def: AutoencoderDefinition;
  #fitted: Fitted | undefined;
  #disposed = false;

  constructor(def: AutoencoderDefinition, options: CreateReducerOptions) {
    const { latentDim, ...rest } = options;
    this.#def = def;
    this.kind = def.kind;
    this.latentDim = assertLatentDim(def.kind, latentDim);
    this.options = resolveOptions(def.kind, autoencoderOptionSpecs(def), rest);
  }

  /** Restores a fitted reducer from a bundle written by save(). */
  static async fromBundle(def: AutoencoderDefinition, bundle: ModelBundle): Promise<AutoencoderReducer> {
    const m = bundle.manifest;
    if (m.kind !== def.kind) throw new LatentkitError('E_BUNDLE_CORRUPT', `bundle holds a "${m.kind}" model, not "${def.kind}"`);
    if (m.specVersion !== REDUCER_SPEC_VERSION) {
      throw new LatentkitError('E_BUNDLE_VERSION', `${def.kind} bundle was written for reducer spec ${m.specVersion}, this version reads ${REDUCER_SPEC_VERSION}`);
    }
    const reducer = new AutoencoderReducer(def, { ...(m.options as Record<string, unknown>), latentDim: m.latentDim });
    await setupBackend(trainingOptionsFrom(reducer.options).backend);
    const architecture = reducer.#build(m.inputShape);
    // A checkpoint loads as the model of its last epoch; its training-state blobs are not weights.
    const store = ParamStore.fromValues(architecture.params, weightsFromBundle(modelPartOf(bundle), architecture.params));
    const history = Array.isArray(m.extra.history) ? (m.extra.history as unknown as LossPoint[]) : [];
    reducer.#fitted = { inputShape: [...m.inputShape], architecture, store, seed: m.seed, history };
    return reducer;
  }

  get inputShape(): readonly number[] | undefined {
    return this.#fitted?.inputShape;
  }

  get inputDim(): number | undefined {
    return this.#fitted?.inputShape.reduce((a, b) => a * b, 1);
  }

  get parameterCount(): number {
    return this.#fitted?.store.parameterCount ?? 0;
  }

  /** The fitted weights (read-only use: tests, inspection). */
  get params(): ParamStore | undefined {
    return this.#fitted?.store;
  }

  async fit(data: Dataset, options: FitOptions = {}): Promise<FitResult> {
    this.#assertUsable();
    validateDataset(data);
    if (this.#def.requiresImages && !data.imageShape) {
      throw new LatentkitError('E_SHAPE', `${this.kind} needs image input, but dataset "${data.name}" has no image shape (${data.x.cols} flat features)`);
    }
    assertFinite(data.x, `dataset "${data.name}"`);
    const training = trainingOptionsFrom(this.options);
    await setupBackend(training.backend);
    const inputShape = inputShapeOf(data);
    const architecture = this.#build(inputShape);
    const seed = options.seed ?? 0;
    const hooks = this.#checkpointHooks(options, architecture, { inputShape, seed, x: data.x });
    const rng = createRng(seed);
    // Initialised even when resuming (trainModel then loads the checkpoint) so the seed stream stays the same.
    const store = ParamStore.initialise(architecture.params, rng.fork());
    const model = reconstructionModel(architecture, store);
    let result;
    try {
      result = await trainModel(model, data.x, { ...training, seed: rng.uint32() }, { signal: options.signal, onProgress: options.onProgress, ...hooks });
    } catch (e) {
      // A diverged run keeps its last good weights usable; any other failure leaves the reducer as it was.
      if (isLatentkitError(e) && e.code === 'E_DIVERGED') this.#replace({ inputShape, architecture, store, seed, history: [] });
      else store.dispose();
      throw e;
    }
    this.#replace({ inputShape, architecture, store, seed, history: result.history });
    const last = result.history[result.bestEpoch - 1];
    return {
      seconds: result.seconds,
      history: result.history,
      info: {
        backend: training.backend,
        epochsRun: result.history.length,
        bestEpoch: result.bestEpoch,
        stoppedEarly: result.stoppedEarly,
        ...(hooks.resumeFrom ? { resumedFromEpoch: hooks.resumeFrom.epoch } : {}),
        samplesPerSecond: result.samplesPerSecond,
        parameterCount: store.parameterCount,
        ...(last ? { trainLoss: last.loss } : {}),
        ...(last?.valLoss !== undefined ? { valLoss: last.valLoss } : {}),
      },
    };
  }

  async encode(x: Matrix): Promise<Matrix> {
    const f = this.#assertFitted();
    assertCols(x, this.inputDim!, `${this.kind} encode input`);
    assertFinite(x, `${this.kind} encode input`);
    await setupBackend(trainingOptionsFrom(this.options).backend);
    return mapTensorBatches(x, this.latentDim, (b) => f.architecture.encode(f.store.vars, b, INFERENCE));
  }

  async decode(z: Matrix): Promise<Matrix> {
    const f = this.#assertFitted();
    assertCols(z, this.latentDim, `${this.kind} decode input`);
    assertFinite(z, `${this.kind} decode input`);
    await setupBackend(trainingOptionsFrom(this.options).backend);
    return mapTensorBatches(z, this.inputDim!, (b) => f.architecture.decode(f.store.vars, b, INFERENCE));
  }

  async save(): Promise<ModelBundle> {
    const f = this.#assertFitted();
    return createBundle({
      kind: this.kind,
      specVersion: REDUCER_SPEC_VERSION,
      options: this.options,
      inputShape: f.inputShape,
      latentDim: this.latentDim,
      seed: f.seed,
      metrics: lastLossMetrics(f.history),
      extra: { history: f.history, parameterCount: f.store.parameterCount },
      blobs: weightsToBlobs(f.store),
    });
  }

  dispose(): void {
    this.#fitted?.store.dispose();
    this.#fitted = undefined;
    this.#disposed = true;
  }

  /** Checkpoint writing and resuming: both need the fit's identity (options, seed, data) to match. */
  #checkpointHooks(
    options: FitOptions,
    architecture: Architecture,
    fit: { inputShape: readonly number[]; seed: number; x: Matrix },
  ): Pick<TrainHooks, 'onCheckpoint' | 'resumeFrom'> {
    const { onCheckpoint, resumeFrom } = options;
    if (!onCheckpoint && !resumeFrom) return {};
    const id: CheckpointIdentity = {
      kind: this.kind,
      options: this.options,
      inputShape: fit.inputShape,
      latentDim: this.latentDim,
      seed: fit.seed,
      dataRows: fit.x.rows,
      dataFingerprint: dataFingerprint(fit.x),
    };
    if (resumeFrom) assertResumable(resumeFrom, id);
    return {
      ...(resumeFrom ? { resumeFrom: trainStateFromBundle(resumeFrom, architecture.params) } : {}),
      ...(onCheckpoint ? { onCheckpoint: (state) => onCheckpoint(checkpointToBundle(id, architecture.params, state), state.epoch) } : {}),
    };
  }

  #build(inputShape: readonly number[]): Architecture {
    return this.#def.build({ kind: this.kind, inputShape, latentDim: this.latentDim, options: this.options });
  }

  #replace(next: Fitted): void {
    this.#fitted?.store.dispose();
    this.#fitted = next;
  }

  #assertUsable(): void {
    if (this.#disposed) throw new LatentkitError('E_NOT_FITTED', `this ${this.kind} reducer was disposed`);
  }

  #assertFitted(): Fitted {
    this.#assertUsable();
    if (!this.#fitted) throw new LatentkitError('E_NOT_FITTED', `${this.kind} must be fitted (or loaded) before encode, decode or save`);
    return this.#fitted;
  }
}

/** The autoencoder's training objective: per-element MSE between x and g(f(x)). */
export function reconstructionModel(architecture: Architecture, store: ParamStore): TrainableModel {
  return {
    store,
    loss: (x: tf.Tensor2D, ctx: ForwardContext) => tf.mean(tf.squaredDifference(architecture.decode(store.vars, architecture.encode(store.vars, x, ctx), ctx), x)) as tf.Scalar,
  };
}
