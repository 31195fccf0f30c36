import {
  assertFinite,
  createRng,
  inputShapeOf,
  LatentkitError,
  validateDataset,
  validateOptions,
  type Dataset,
  type FitOptions,
  type FitResult,
} from '@latentkit/core';
import type { z } from 'zod';
import { setupBackend } from './backend.js';
import { checkpointToBundle, trainStateFromBundle, type CheckpointIdentity } from './checkpoint.js';
import { ParamStore, type Architecture } from './network.js';
import { assertLatentDim, trainingOptionsFrom, type TrainingOptions } from './options.js';
import {
  AutoencoderReducer,
  trainingObjective,
  type ArchitectureContext,
  type AutoencoderDefinition,
  type AutoencoderOptionsSchema,
  type AutoencoderSettings,
  type AutoencoderState,
} from './reducer.js';
import { assertResumable, dataFingerprint } from './resume.js';
import { trainModel, type TrainHooks, type TrainResult, type TrainSettings } from './train.js';

/** A fitted autoencoder and what its training reported (history, epochs run, best epoch, throughput). */
export interface FittedAutoencoder<Options extends TrainingOptions = TrainingOptions> {
  readonly model: AutoencoderReducer<Options>;
  readonly result: FitResult;
}

/**
 * Trains a new autoencoder of the kind `def` by minimising per-pixel MSE ‖x − g(f(x))‖² / D. Settings are
 * checked before any work (d, then the options against the kind's schema: one E_OPTION line each). A
 * failed, aborted or diverged fit frees what it made and throws; the last good epoch of a diverged or
 * interrupted fit is the last checkpoint handed to `onCheckpoint`, which `resumeFrom` continues.
 */
export async function fitAutoencoder<S extends AutoencoderOptionsSchema>(
  def: AutoencoderDefinition<S>,
  data: Dataset,
  settings: AutoencoderSettings<S>,
  fitOptions: FitOptions = {},
): Promise<FittedAutoencoder<z.output<S>>> {
  const { latentDim: requested, ...given } = settings as { latentDim: number } & Record<string, unknown>;
  const latentDim = assertLatentDim(def.kind, requested);
  const options = (await validateOptions(def.kind, def.options, given)) as z.output<S>;
  validateDataset(data);
  if (def.requiresImages && !data.imageShape) {
    throw new LatentkitError('E_SHAPE', `${def.kind} needs image input, but dataset "${data.name}" has no image shape (${data.x.cols} flat features)`);
  }
  if (latentDim >= data.x.cols) {
    throw new LatentkitError('E_OPTION', `reducer "${def.kind}": latentDim ${latentDim} must be smaller than the input dimension ${data.x.cols}`);
  }
  assertFinite(data.x, `dataset "${data.name}"`);
  const training = trainingOptionsFrom(options);
  await setupBackend(training.backend);
  const inputShape = inputShapeOf(data);
  const context = { kind: def.kind, inputShape, latentDim, options };
  const architecture = def.build(context);
  const seed = fitOptions.seed ?? 0;
  const identity = checkpointIdentity(def, context, seed, { rows: data.x.rows, fingerprint: needsFingerprint(fitOptions) ? dataFingerprint(data.x) : 0 });
  const hooks = checkpointHooks(fitOptions, architecture, identity);
  const rng = createRng(seed);
  // Initialised even when resuming (trainModel then loads the checkpoint) so the seed stream stays the same.
  const store = ParamStore.initialise(architecture.params, rng.fork());
  let trained;
  try {
    const run = loopRun(def, context, architecture, training, fitOptions, hooks, rng.uint32());
    trained = await trainModel(trainingObjective(def, architecture, store, context), data.x, run.settings, run.hooks);
  } catch (e) {
    store.dispose();
    throw e;
  }
  const model = new AutoencoderReducer({ kind: def.kind, package: def.package, latentDim, options, inputShape, architecture, store, seed, history: trained.history, ...inferenceStateOf(def, trained) });
  const result = fitResultOf(trained, { backend: training.backend, parameterCount: store.parameterCount, resumedFromEpoch: hooks.resumeFrom?.epoch });
  return { model, result };
}

/**
 * The training loop's settings and hooks for a fit (in memory or streamed): the fit's seed and worker count,
 * progress, cancellation, the checkpoint hooks, and the recipe worker threads rebuild the architecture from
 * (the definition's own module), so every batch can travel to them.
 */
export function loopRun(
  def: AutoencoderDefinition,
  context: ArchitectureContext,
  architecture: Pick<Architecture, 'flopsPerRow'>,
  training: TrainingOptions,
  fitOptions: Pick<FitOptions, 'signal' | 'onProgress' | 'workers'>,
  checkpoint: Pick<TrainHooks, 'onCheckpoint' | 'resumeFrom'>,
  seed: number,
): { settings: TrainSettings; hooks: TrainHooks } {
  return {
    settings: { ...training, seed, ...(fitOptions.workers !== undefined ? { workers: fitOptions.workers } : {}) },
    hooks: {
      signal: fitOptions.signal,
      onProgress: fitOptions.onProgress,
      ...checkpoint,
      // The step's work per row decides how many of the threads pay (usefulWorkers).
      ...(architecture.flopsPerRow !== undefined ? { flopsPerRow: architecture.flopsPerRow } : {}),
      ...(def.replica ? { replica: { ...def.replica, context, backend: training.backend }, keepWorkers: true } : {}),
    },
  };
}

/**
 * A fitted model infers on the threads it trained on (1 when replicas could not be had): on the very replicas
 * of the fit, which loopRun keeps running for it.
 */
export function inferenceStateOf(
  def: Pick<AutoencoderDefinition, 'replica'>,
  trained: Pick<TrainResult, 'threads' | 'workers'>,
): Pick<AutoencoderState, 'replica' | 'inferenceThreads' | 'inferencePool'> {
  return { ...(def.replica ? { replica: def.replica } : {}), inferenceThreads: trained.threads, ...(trained.workers ? { inferencePool: Promise.resolve(trained.workers) } : {}) };
}

/**
 * A trained fit's FitResult: its history and the facts apps report (`extra` first, e.g. how a streamed fit read).
 * Shared by the in-memory and the streamed fit.
 */
export function fitResultOf(
  trained: TrainResult,
  facts: { readonly backend: string; readonly parameterCount: number; readonly resumedFromEpoch?: number | undefined; readonly extra?: Readonly<Record<string, unknown>> },
): FitResult {
  const last = trained.history[trained.bestEpoch - 1];
  return {
    seconds: trained.seconds,
    history: trained.history,
    info: {
      backend: facts.backend,
      ...facts.extra,
      epochsRun: trained.history.length,
      bestEpoch: trained.bestEpoch,
      stoppedEarly: trained.stoppedEarly,
      ...(facts.resumedFromEpoch !== undefined ? { resumedFromEpoch: facts.resumedFromEpoch } : {}),
      samplesPerSecond: trained.samplesPerSecond,
      threads: trained.threads,
      parameterCount: facts.parameterCount,
      ...(last ? { trainLoss: last.loss } : {}),
      ...(last?.valLoss !== undefined ? { valLoss: last.valLoss } : {}),
      // A fit that needed re-initialisations says so, and with which peak learning rate it ended.
      ...(trained.retries.length
        ? { retries: trained.retries.length, retryReasons: trained.retries.map((r) => r.reason).join('; '), learningRate: trained.learningRate }
        : {}),
    },
  };
}

/** The data's CRC-32 is only needed to write or check a checkpoint. */
export function needsFingerprint(fitOptions: FitOptions): boolean {
  return Boolean(fitOptions.onCheckpoint || fitOptions.resumeFrom);
}

/** What a checkpoint of this fit records, and a resumed fit must match: kind, settings, seed, and the data's row count and fingerprint. */
export function checkpointIdentity(
  def: Pick<AutoencoderDefinition, 'package'>,
  context: ArchitectureContext<object>,
  seed: number,
  data: { readonly rows: number; readonly fingerprint: number },
): CheckpointIdentity {
  const { kind, options, inputShape, latentDim } = context;
  return { kind, ...(def.package ? { plugin: def.package } : {}), options: options as Readonly<Record<string, unknown>>, inputShape, latentDim, seed, dataRows: data.rows, dataFingerprint: data.fingerprint };
}

/**
 * Checkpoint writing and resuming, in memory or streamed: both need the fit's identity (options, seed, data)
 * to match. Refuses a checkpoint of another fit (assertResumable).
 */
export function checkpointHooks(fitOptions: FitOptions, architecture: Architecture, id: CheckpointIdentity): Pick<TrainHooks, 'onCheckpoint' | 'resumeFrom'> {
  const { onCheckpoint, resumeFrom } = fitOptions;
  if (resumeFrom) assertResumable(resumeFrom, id);
  return {
    ...(resumeFrom ? { resumeFrom: trainStateFromBundle(resumeFrom, architecture.params) } : {}),
    ...(onCheckpoint ? { onCheckpoint: (state) => onCheckpoint(checkpointToBundle(id, architecture.params, state), state.epoch) } : {}),
  };
}
