import { createRng, LatentkitError, validateOptions, type RowBatchSource, type StreamFitOptions } from '@latentkit/core';
import type { z } from 'zod';
import { checkpointHooks, checkpointIdentity, fitResultOf, inferenceStateOf, loopRun, needsFingerprint, type FittedAutoencoder } from '../autoencoder-fit.js';
import { setupBackend } from '../backend.js';
import { ParamStore } from '../network.js';
import { assertLatentDim, trainingOptionsFrom } from '../options.js';
import { AutoencoderReducer, trainingObjective, type AutoencoderDefinition, type AutoencoderOptionsSchema, type AutoencoderSettings } from '../reducer.js';
import { assertResumableSettings } from '../resume.js';
import { splitGenerator, trainOnData } from '../train.js';
import { streamTrainingData } from './stream-data.js';

/** How a streamed fit reads; the defaults suit any source (memory is bounded by them, not by the row count). */
export interface StreamTuning {
  /** Rows in the shuffle window (default STREAM_SHUFFLE_ROWS); the source is also asked for at most this many per batch. */
  readonly shuffleRows?: number;
}

/**
 * fitAutoencoder from a RowBatchSource: the same training loop (trainOnData: Adam, schedule, early stopping,
 * collapse checks and retries, progress, cancellation, worker threads) fed one pass over the source per epoch
 * through a seeded shuffle window, after a first pass that counts the rows and picks the validation rows (a
 * seeded hash of the row position: see ValidationRows). Memory does not grow with the row count; the batches are
 * never concatenated. Deterministic for a source, seed, window and worker count; it is not the same model as
 * the in-memory fit (another shuffle), though the weights start the same. Checkpoints are those of fitAutoencoder
 * (the first pass also fingerprints the rows, in order, as dataFingerprint does in memory), so a checkpoint
 * written by either resumes in either; epoch e's shuffle depends only on (seed, e), so a streamed fit resumed
 * from its own checkpoint ends with the weights of an uninterrupted one. `heldOut` rows are not read: the
 * reconstruction MSE is left for the caller to measure (training losses are measured with weights that change
 * during the epoch, and are not the reconstruction MSE for every objective).
 */
export async function fitAutoencoderStream<S extends AutoencoderOptionsSchema>(
  def: AutoencoderDefinition<S>,
  source: RowBatchSource,
  settings: AutoencoderSettings<S>,
  fitOptions: StreamFitOptions = {},
  tuning: StreamTuning = {},
): Promise<FittedAutoencoder<z.output<S>>> {
  const { latentDim: requested, ...given } = settings as { latentDim: number } & Record<string, unknown>;
  const latentDim = assertLatentDim(def.kind, requested);
  const options = (await validateOptions(def.kind, def.options, given)) as z.output<S>;
  const inputShape = checkSource(def, source, latentDim);
  const context = { kind: def.kind, inputShape, latentDim, options };
  const seed = fitOptions.seed ?? 0;
  // A checkpoint of another fit is refused before the first pass; its data is checked after it.
  if (fitOptions.resumeFrom) assertResumableSettings(fitOptions.resumeFrom, checkpointIdentity(def, context, seed, { rows: 0, fingerprint: 0 }));
  const training = trainingOptionsFrom(options);
  await setupBackend(training.backend);
  const architecture = def.build(context);
  // The same seed stream as fitAutoencoder: the weights start as an in-memory fit's would.
  const rng = createRng(seed);
  const weightRng = rng.fork();
  const trainSeed = rng.uint32();
  const data = await streamTrainingData(source, {
    validationSplit: training.validationSplit,
    key: splitGenerator(trainSeed).uint32(),
    ...(tuning.shuffleRows !== undefined ? { shuffleRows: tuning.shuffleRows } : {}),
    fingerprint: needsFingerprint(fitOptions),
    ...(fitOptions.signal ? { signal: fitOptions.signal } : {}),
    ...(fitOptions.onProgress ? { onProgress: fitOptions.onProgress } : {}),
  });
  const hooks = checkpointHooks(fitOptions, architecture, checkpointIdentity(def, context, seed, { rows: data.sourceRows, fingerprint: data.fingerprint ?? 0 }));
  // Initialised even when resuming (the loop then loads the checkpoint), as fitAutoencoder does.
  const store = ParamStore.initialise(architecture.params, weightRng);
  let trained;
  try {
    // Each batch travels to the worker threads on its own, so streamed fits use them as in-memory fits do.
    const run = loopRun(def, context, architecture, training, fitOptions, hooks, trainSeed);
    trained = await trainOnData(trainingObjective(def, architecture, store, context), data, run.settings, run.hooks);
  } catch (e) {
    store.dispose();
    throw e;
  }
  const model = new AutoencoderReducer({ kind: def.kind, package: def.package, latentDim, options, inputShape, architecture, store, seed, history: trained.history, ...inferenceStateOf(def, trained) });
  const result = fitResultOf(trained, {
    backend: training.backend,
    parameterCount: store.parameterCount,
    resumedFromEpoch: hooks.resumeFrom?.epoch,
    extra: { streamed: true, shuffleRows: data.shuffleRows, trainRows: data.trainRows, validationRows: data.validation?.rows ?? 0 },
  });
  return { model, result };
}

/** The source's sample shape, checked against the kind and d before any row is read. */
function checkSource(def: AutoencoderDefinition, source: RowBatchSource, latentDim: number): readonly number[] {
  if (!Number.isInteger(source.cols) || source.cols < 1) throw new LatentkitError('E_SHAPE', `${source.name} declares ${String(source.cols)} columns`);
  const shape = source.imageShape;
  if (def.requiresImages && !shape) throw new LatentkitError('E_SHAPE', `${def.kind} needs image input, but ${source.name} has no image shape (${source.cols} flat features)`);
  if (shape && shape.reduce((a, b) => a * b, 1) !== source.cols) {
    throw new LatentkitError('E_SHAPE', `${source.name} declares image shape [${shape.join(',')}] but ${source.cols} columns`);
  }
  if (latentDim >= source.cols) throw new LatentkitError('E_OPTION', `reducer "${def.kind}": latentDim ${latentDim} must be smaller than the input dimension ${source.cols}`);
  return shape ? [...shape] : [source.cols];
}
