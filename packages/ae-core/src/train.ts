import * as tf from '@tensorflow/tfjs';
import {
  createRng,
  LatentkitError,
  type Rng,
  selectRows,
  throwIfAborted,
  type LossPoint,
  type Matrix,
  type ProgressListener,
} from '@latentkit/core';
import {
  CODE_PROBE_ROWS,
  DEFAULT_RECOVERY,
  epochFailure,
  MIN_BATCHES_TO_SPLIT,
  retrySeed,
  trivialErrors,
  type RecoverySettings,
  type TrainingFailure,
  type TrivialErrors,
} from './collapse.js';
import { applyDataInit, reinitialise } from './data-init.js';
import { epochOrder } from './epoch-order.js';
import { INFERENCE, type ForwardContext, type ParamStore, type WeightValues } from './network.js';
import { FusedAdam } from './fused-adam.js';
import { heapTensor } from './wasm/heap.js';
import { captureAdamState, isFiniteAdamState, restoreAdamState } from './optimizer-state.js';
import type { TrainingOptions } from './options.js';
import { openWorkers } from './parallel/open-workers.js';
import { usefulWorkers } from './parallel/useful-workers.js';
import { startProductHelper } from './parallel/product-helper.js';
import { parallelTrainStep } from './parallel/parallel-step.js';
import type { GemmTeamLease, ReplicaPool } from './parallel/pools.js';
import type { ReplicaSource } from './parallel/replica.js';
import { learningRateAt } from './schedule.js';
import { mixSeed } from './step-seed.js';
import { isFiniteWeights, type TrainState } from './train-state.js';

/** What the loop trains: weights plus a batch loss (mean over the batch). */
export interface TrainableModel {
  readonly store: ParamStore;
  loss(x: tf.Tensor2D, ctx: ForwardContext): tf.Scalar;
  /** The codes of x. Optional: with it the loop also watches for exploding codes. */
  encode?(x: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D;
}

export type TrainSettings = Omit<TrainingOptions, 'backend' | 'retries' | 'corrupt'> & {
  readonly seed: number;
  /** Re-initialisations allowed after a collapse or divergence (default DEFAULT_RECOVERY.retries; 0 = stop at once). */
  readonly retries?: number;
  /** Detection thresholds and the learning-rate factor per retry; omitted fields take DEFAULT_RECOVERY's values. */
  readonly recovery?: Partial<RecoverySettings>;
  /**
   * Threads to train on (default 1): this one plus `workers − 1` worker-thread replicas built from
   * `hooks.replica`, each computing the gradient of a contiguous shard of every batch. Results depend on
   * (seed, workers): see the README.
   */
  readonly workers?: number;
};

export interface TrainHooks {
  readonly signal?: AbortSignal;
  readonly onProgress?: ProgressListener;
  /** Called after each epoch's bookkeeping, before early stopping may end the run. */
  readonly onEpochEnd?: (point: LossPoint) => void;
  /**
   * Called (and awaited) after each completed epoch, early-stopping bookkeeping included, with a state
   * `resumeFrom` can continue from. Never called with non-finite weights or optimizer state, nor for an
   * epoch that ended in a collapse.
   */
  readonly onCheckpoint?: (state: TrainState) => Promise<void> | void;
  /** Continue from a state given to onCheckpoint by a run with the same model, data and settings. */
  readonly resumeFrom?: TrainState;
  /** How worker threads rebuild the model (needed for `workers` > 1; without it training stays on this thread). */
  readonly replica?: ReplicaSource;
  /** Hand the worker replicas to the caller (TrainResult.workers) instead of stopping them: the fitted model infers on them. */
  readonly keepWorkers?: boolean;
  /** The architecture's forward FLOPs per row: with it, `workers` is capped at the threads a step can use (usefulWorkers). */
  readonly flopsPerRow?: number;
}

/** One re-initialisation after a failed attempt. */
export interface TrainingRetry {
  /** 1-based: the first retry is attempt 2 of the fit. */
  readonly retry: number;
  readonly kind: TrainingFailure['kind'];
  /** What went wrong in the attempt before, one line: "<what> at <where>". */
  readonly reason: string;
  /** The seed the retry's weights and shuffles were drawn from, and its peak learning rate. */
  readonly seed: number;
  readonly learningRate: number;
}

export interface TrainResult {
  /** The epochs of the attempt that succeeded (a retry starts the history again). */
  readonly history: LossPoint[];
  /** 1-based epoch whose weights the model ends with. */
  readonly bestEpoch: number;
  readonly stoppedEarly: boolean;
  /** Seconds and throughput over all attempts. */
  readonly seconds: number;
  readonly samplesPerSecond: number;
  /** Re-initialisations this fit needed (empty for a healthy fit). */
  readonly retries: readonly TrainingRetry[];
  /** Peak learning rate of the attempt that succeeded. */
  readonly learningRate: number;
  /** Threads the fit trained on: `workers`, or 1 when worker replicas could not be had. */
  readonly threads: number;
  /** True when it trained on one thread with a helper thread taking half of each large matrix product. */
  readonly productHelper: boolean;
  /** With `keepWorkers`, the replicas the fit trained on, still running: the caller closes them. */
  readonly workers?: ReplicaPool;
}

/** The first attempt, or a retry's seed and the rates derived from it. */
interface Attempt {
  readonly index: number;
  readonly learningRate: number;
  /** Seeds the epoch shuffles. */
  readonly shuffleSeed: number;
  /** A retry's seed: its weights come from createRng(seed).fork(), its shuffle seed from the same generator next. */
  readonly seed?: number;
}

/** Rows of a batch: `rows` index into `x` (the whole data in memory, or one streamed batch with rows 0…n−1). */
export interface TrainingBatch {
  readonly x: Matrix;
  readonly rows: Int32Array;
}

/**
 * What the loop trains on, whether the rows sit in memory (`trainModel`) or are read in batches each epoch
 * (stream/stream-data.ts): everything the loop needs besides the epoch's batches is known before it starts.
 */
export interface TrainingData {
  /** Training rows per epoch (validation rows excluded). */
  readonly trainRows: number;
  /** What a fit that learned nothing scores on the training rows (the collapse check's reference). */
  readonly trivial: TrivialErrors;
  /** Rows data-initialised weights (`fromData`) start from: all training rows in memory, a bounded sample when streamed. */
  readonly initRows: TrainingBatch;
  /** Training rows whose codes are watched for explosion (at most CODE_PROBE_ROWS). */
  readonly probeRows: TrainingBatch;
  /** Validation rows (early stopping, the best epoch); absent without a validation split. */
  readonly validation?: Matrix;
  /** The epoch's training rows in order, `batchSize` per batch (the last may be shorter), shuffled by (shuffleSeed, epoch) alone. */
  epochBatches(epoch: number, shuffleSeed: number, batchSize: number, signal?: AbortSignal): Iterable<TrainingBatch> | AsyncIterable<TrainingBatch>;
}

/**
 * Adam on shuffled mini-batches with a seeded validation split, learning-rate schedule, early stopping
 * (restoring the best weights), progress events, cancellation between batches, and collapse and divergence
 * handling. After each epoch the loop checks that the fit is not stuck at the trivial solution (a loss no
 * better than predicting the mean row, not improving), that the codes have not exploded and that nothing
 * became non-finite (the loss is also checked after every batch). A failed attempt is retried from weights
 * drawn from a derived seed at a lower learning rate (`retries` times); after that E_DIVERGED is thrown with
 * the weights of the last good epoch. A healthy fit is untouched by all this: same weights as without it.
 */
export async function trainModel(model: TrainableModel, x: Matrix, settings: TrainSettings, hooks: TrainHooks = {}): Promise<TrainResult> {
  return trainOnData(model, inMemoryData(x, settings.validationSplit, splitGenerator(settings.seed)), settings, hooks);
}

/**
 * The loop of `trainModel` on any TrainingData (the rows in memory, or streamed: see stream/). The shuffle
 * seeds come from `settings.seed`; a TrainingData that needs its own randomness draws it from
 * `splitGenerator(settings.seed)`.
 */
export async function trainOnData(model: TrainableModel, data: TrainingData, settings: TrainSettings, hooks: TrainHooks = {}): Promise<TrainResult> {
  const { epochs, batchSize, learningRate, lrSchedule, patience } = settings;
  const recovery: RecoverySettings = { ...DEFAULT_RECOVERY, ...settings.recovery, ...(settings.retries !== undefined ? { retries: settings.retries } : {}) };
  const { signal, onProgress, onCheckpoint, resumeFrom } = hooks;
  const rng = createRng(settings.seed);
  rng.fork(); // the split's generator (splitGenerator)
  const firstShuffleSeed = rng.uint32();

  const valX = data.validation;
  const trainRowCount = data.trainRows;
  const batches = Math.ceil(trainRowCount / batchSize);
  const totalSteps = epochs * batches;
  // What a fit that learned nothing scores on the training rows: computed once, read after every epoch.
  const trivial = data.trivial;

  const store = model.store;
  const trainable = store.trainable;
  const started = performance.now();
  let trainSeconds = 0;
  let samplesDone = 0;
  let lastYield = started;
  const retries: TrainingRetry[] = [];
  const probe = model.encode && recovery.maxCodeGrowth < Infinity ? rowsTensor(data.probeRows.x, data.probeRows.rows) : undefined;
  const codeRms = (): number | undefined => {
    if (!probe || !model.encode) return undefined;
    const t = tf.tidy(() => tf.sqrt(tf.mean(tf.square(model.encode!(probe, INFERENCE)))));
    const v = t.dataSync()[0]!;
    t.dispose();
    return v;
  };

  const attemptOf = (index: number): Attempt => {
    const rate = learningRate * recovery.lrFactor ** index;
    if (index === 0) return { index, learningRate: rate, shuffleSeed: firstShuffleSeed };
    const seed = retrySeed(settings.seed, index);
    const arng = createRng(seed);
    arng.fork(); // the weights' generator, drawn again in runAttempt
    return { index, learningRate: rate, shuffleSeed: arng.uint32(), seed };
  };

  /** Runs one attempt to the end: a result, or the failure that ended it (with the store at its last good epoch). */
  const runAttempt = async (attempt: Attempt, resume: TrainState | undefined): Promise<TrainResult | TrainingFailure> => {
    const optimizer = new FusedAdam(attempt.learningRate);
    const history: LossPoint[] = [];
    let firstEpoch = 1;
    let stoppedEarly = false;
    let sinceBest = 0;
    let initialCodeRms: number | undefined;
    if (resume) {
      store.restore(resume.weights);
      await restoreAdamState(optimizer, resume.optimizer, trainable);
      history.push(...resume.history);
      sinceBest = resume.sinceBest;
      firstEpoch = resume.epoch + 1;
      // The checkpointed run may already have decided to stop early.
      stoppedEarly = patience > 0 && sinceBest >= patience;
      initialCodeRms = resume.initialCodeRms ?? codeRms();
    } else {
      if (attempt.seed !== undefined) reinitialise(store, createRng(attempt.seed).fork());
      applyDataInit(store, data.initRows.x, data.initRows.rows);
      initialCodeRms = codeRms();
    }
    let lastGood: WeightValues = resume ? resume.weights : store.snapshot();
    let best = resume ? { ...resume.best } : { value: Infinity, epoch: 0, weights: lastGood };
    const failed = (what: string, where: string): TrainingFailure => {
      store.restore(lastGood);
      return { kind: 'non-finite', what, where };
    };

    for (let epoch = firstEpoch; epoch <= epochs && !stoppedEarly; epoch++) {
      const epochStart = performance.now();
      let lossSum = 0;
      // Loss over the first and the second half of the epoch's batches, for the collapse check.
      const halfSum = [0, 0];
      const halfRows = [0, 0];
      const firstHalfBatches = batches >= MIN_BATCHES_TO_SPLIT ? Math.floor(batches / 2) : 0;
      let b = 0;
      for await (const batch of data.epochBatches(epoch, attempt.shuffleSeed, batchSize, signal)) {
        throwIfAborted(signal, 'training');
        const rows = batch.rows;
        const step = (epoch - 1) * batches + b;
        optimizer.learningRate = learningRateAt(lrSchedule, attempt.learningRate, step / totalSteps);
        const stepStart = performance.now();
        const stepSeed = mixSeed(attempt.shuffleSeed, step);
        const loss = pool ? await parallelTrainStep(model, optimizer, pool, batch.x, rows, stepSeed) : trainStep(model, trainable, optimizer, batch.x, rows, mixSeed(stepSeed, 0));
        trainSeconds += (performance.now() - stepStart) / 1000;
        if (!Number.isFinite(loss)) return failed(`the loss became ${loss}`, `epoch ${epoch}, batch ${b + 1}`);
        lossSum += loss * rows.length;
        const half = b < firstHalfBatches ? 0 : 1;
        halfSum[half]! += loss * rows.length;
        halfRows[half]! += rows.length;
        samplesDone += rows.length;
        const samplesPerSecond = samplesDone / Math.max(trainSeconds, 1e-9);
        onProgress?.({
          phase: 'train',
          epoch,
          epochs,
          batch: b + 1,
          batches,
          loss,
          fraction: (step + 1) / totalSteps,
          samplesPerSecond,
          etaSeconds: ((totalSteps - step - 1) * trainRowCount) / batches / samplesPerSecond,
        });
        // Give timers and abort signals a turn now and then without slowing every batch.
        if (performance.now() - lastYield > 25) {
          await new Promise((resolve) => setTimeout(resolve, 0));
          lastYield = performance.now();
        }
        b++;
      }
      throwIfAborted(signal, 'training');
      const trainLoss = lossSum / trainRowCount;
      const valLoss = valX ? evaluateLoss(model, valX, batchSize) : undefined;
      if (valLoss !== undefined && !Number.isFinite(valLoss)) return failed(`the loss became ${valLoss}`, `epoch ${epoch} (validation)`);
      // The last step's update can break the weights after a finite loss; such an epoch is not good.
      const weights = store.snapshot();
      if (!isFiniteWeights(weights)) return failed('the weights became non-finite', `the end of epoch ${epoch}`);
      // Checked every epoch (not only when checkpointing) so that checkpointing never changes the outcome.
      const optimizerState = await captureAdamState(optimizer, trainable);
      if (!isFiniteAdamState(optimizerState)) return failed('the optimizer state became non-finite', `the end of epoch ${epoch}`);
      const point: LossPoint = {
        epoch,
        loss: trainLoss,
        ...(valLoss !== undefined ? { valLoss } : {}),
        seconds: (performance.now() - epochStart) / 1000,
      };
      history.push(point);
      lastGood = weights;
      const monitored = valLoss ?? trainLoss;
      if (monitored < best.value) {
        best = { value: monitored, epoch, weights: lastGood };
        sinceBest = 0;
      } else {
        sinceBest++;
      }
      const samplesPerSecond = samplesDone / Math.max(trainSeconds, 1e-9);
      // Epoch-end events are the ones with a message (batch events have none).
      onProgress?.({
        phase: 'train',
        epoch,
        epochs,
        batch: batches,
        batches,
        loss: trainLoss,
        ...(valLoss !== undefined ? { valLoss } : {}),
        fraction: epoch / epochs,
        samplesPerSecond,
        etaSeconds: ((epochs - epoch) * trainRowCount) / samplesPerSecond,
        message: `epoch ${epoch}/${epochs} loss ${trainLoss.toPrecision(4)}${valLoss !== undefined ? ` val ${valLoss.toPrecision(4)}` : ''}`,
      });
      hooks.onEpochEnd?.(point);
      // Long epochs are judged on their own halves; short ones (noisy halves) against the previous epoch.
      const split = firstHalfBatches > 0;
      const previous = history.length >= 2 ? history[history.length - 2]!.loss : undefined;
      const failure = epochFailure(
        {
          epoch,
          steps: epoch * batches,
          lateLoss: split ? halfSum[1]! / halfRows[1]! : trainLoss,
          ...(split ? { earlierLoss: halfSum[0]! / halfRows[0]! } : previous !== undefined ? { earlierLoss: previous } : {}),
          ...(initialCodeRms !== undefined ? { initialCodeRms, codeRms: codeRms() } : {}),
        },
        trivial,
        recovery,
      );
      if (failure) return failure.kind === 'non-finite' ? failed(failure.what, failure.where) : failure;
      stoppedEarly = patience > 0 && sinceBest >= patience;
      await onCheckpoint?.({
        epoch,
        history: [...history],
        weights: lastGood,
        optimizer: optimizerState,
        best,
        sinceBest,
        ...(attempt.index > 0 ? { attempt: attempt.index } : {}),
        ...(initialCodeRms !== undefined ? { initialCodeRms } : {}),
      });
    }
    // With a validation set (or after stopping early) the best epoch wins, not the last one.
    const lastEpoch = history.length;
    if ((valX || stoppedEarly) && best.epoch !== lastEpoch) store.restore(best.weights);
    const bestEpoch = valX || stoppedEarly ? best.epoch : lastEpoch;
    return {
      history,
      bestEpoch,
      stoppedEarly,
      seconds: (performance.now() - started) / 1000,
      samplesPerSecond: samplesDone / Math.max(trainSeconds, 1e-9),
      retries,
      learningRate: attempt.learningRate,
      threads: pool ? pool.replicas + 1 : 1,
      productHelper: helper !== undefined,
    };
  };

  let pool: ReplicaPool | undefined;
  let helper: GemmTeamLease | undefined;
  try {
    // A batch holds at most the epoch's rows: that is what the shards split.
    const threads = usefulWorkers(settings.workers ?? 1, hooks.flopsPerRow, Math.min(settings.batchSize, Math.max(1, trainRowCount)), store.parameterCount);
    helper = threads.why ? await startProductHelper(settings.workers ?? 1, threads.workers) : undefined;
    const instead = helper ? '; a helper thread takes half of each large matrix product instead (same results as one thread)' : '';
    if (threads.why) onProgress?.({ phase: 'workers', fraction: 0, message: `training on ${threads.workers} thread${threads.workers > 1 ? 's' : ''} instead of ${settings.workers}: ${threads.why}${instead}` });
    pool = await openWorkers(threads.workers, hooks.replica, store, onProgress);
    if (resumeFrom) {
      if (resumeFrom.epoch < 1 || resumeFrom.epoch > epochs || resumeFrom.history.length !== resumeFrom.epoch) {
        throw new LatentkitError('E_BUNDLE_CORRUPT', `cannot resume at epoch ${resumeFrom.epoch} of a ${epochs}-epoch run with ${resumeFrom.history.length} epochs of history`);
      }
    }
    let attempt = attemptOf(resumeFrom?.attempt ?? 0);
    let resume = resumeFrom;
    for (;;) {
      const outcome = await runAttempt(attempt, resume);
      if (!('kind' in outcome)) {
        if (!hooks.keepWorkers || !pool) return outcome;
        const workers = pool;
        pool = undefined;
        return { ...outcome, workers };
      }
      const reason = `${outcome.what} at ${outcome.where}`;
      if (attempt.index >= recovery.retries) throw finalError(outcome, retries);
      const next = attemptOf(attempt.index + 1);
      retries.push({ retry: next.index, kind: outcome.kind, reason, seed: next.seed!, learningRate: next.learningRate });
      onProgress?.({
        phase: 'retry',
        epochs,
        fraction: 0,
        message: `retry ${next.index}/${recovery.retries}: ${reason}; restarting from seed ${next.seed} at learning rate ${next.learningRate.toPrecision(2)}`,
      });
      attempt = next;
      resume = undefined;
    }
  } finally {
    probe?.dispose();
    await helper?.stop();
    await pool?.close();
  }
}

/** The one-line error after the last allowed attempt failed. */
function finalError(failure: TrainingFailure, retries: readonly TrainingRetry[]): LatentkitError {
  const head = failure.kind === 'trivial' ? 'training collapsed' : 'training diverged';
  const n = retries.length;
  const retried = n > 0 ? `; ${n} ${n === 1 ? 'retry' : 'retries'} from new seeds at lower learning rates (down to ${retries[n - 1]!.learningRate.toPrecision(2)}) did not help` : '';
  return new LatentkitError('E_DIVERGED', `${head}: ${failure.what} at ${failure.where}${retried}; weights were kept from the last good epoch (try a lower learningRate)`);
}

/** The generator a TrainingData draws its own randomness from (the validation split): the seed's first fork. */
export function splitGenerator(seed: number): Rng {
  return createRng(seed).fork();
}

/** Rows in memory: a seeded validation split, then each epoch a shuffle of the training rows by (seed, epoch). */
function inMemoryData(x: Matrix, validationSplit: number, splitRng: Rng): TrainingData {
  const order = splitRng.permutation(x.rows);
  const nVal = validationSplit > 0 ? Math.max(1, Math.round(x.rows * validationSplit)) : 0;
  if (x.rows - nVal < 1) throw new LatentkitError('E_EMPTY', `${x.rows} rows leave nothing to train on after a ${validationSplit} validation split`);
  const baseRows = order.slice(nVal);
  return {
    trainRows: baseRows.length,
    trivial: trivialErrors(x, baseRows),
    initRows: { x, rows: baseRows },
    probeRows: { x, rows: baseRows.subarray(0, Math.min(CODE_PROBE_ROWS, baseRows.length)) },
    ...(nVal > 0 ? { validation: selectRows(x, order.subarray(0, nVal)) } : {}),
    *epochBatches(epoch, shuffleSeed, batchSize) {
      const rows = epochOrder(baseRows, shuffleSeed, epoch);
      for (let start = 0; start < rows.length; start += batchSize) yield { x, rows: rows.subarray(start, Math.min(start + batchSize, rows.length)) };
    },
  };
}

function trainStep(model: TrainableModel, trainable: tf.Variable[], optimizer: FusedAdam, x: Matrix, rows: Int32Array, seed: number): number {
  const updates: [string, tf.Tensor][] = [];
  const ctx: ForwardContext = { training: true, seed, setState: (name, value) => updates.push([name, tf.keep(value)]) };
  const lossTensor = tf.tidy(() => {
    const xb = rowsTensor(x, rows);
    const { value, grads } = tf.variableGrads(() => model.loss(xb, ctx), trainable);
    optimizer.applyGradients(trainable, trainable.map((v) => grads[v.name]!));
    return value;
  });
  const loss = lossTensor.dataSync()[0]!;
  lossTensor.dispose();
  for (const [name, value] of updates) {
    model.store.vars[name]!.assign(value);
    value.dispose();
  }
  return loss;
}

/** Mean per-batch loss over all rows (weighted by batch size), in inference mode. */
export function evaluateLoss(model: TrainableModel, x: Matrix, batchSize: number): number {
  let sum = 0;
  for (let start = 0; start < x.rows; start += batchSize) {
    const n = Math.min(batchSize, x.rows - start);
    const t = tf.tidy(() => model.loss(tf.tensor2d(x.data.subarray(start * x.cols, (start + n) * x.cols), [n, x.cols]), INFERENCE));
    sum += t.dataSync()[0]! * n;
    t.dispose();
  }
  return sum / x.rows;
}

/**
 * A fresh tensor holding the given rows. On wasm they are written straight into a tensor allocated on the
 * backend's heap: a fresh 400 KB JavaScript buffer per step (then copied to the heap) cost about 1 ms of a
 * dense-ae step, mostly first-touch page faults. Elsewhere a fresh buffer (the cpu backend keeps a reference to it).
 */
function rowsTensor(x: Matrix, rows: Int32Array): tf.Tensor2D {
  const onHeap = heapTensor([rows.length, x.cols]);
  const buf = onHeap?.values ?? new Float32Array(rows.length * x.cols);
  for (let k = 0; k < rows.length; k++) buf.set(x.data.subarray(rows[k]! * x.cols, (rows[k]! + 1) * x.cols), k * x.cols);
  return onHeap ? (onHeap.tensor as tf.Tensor2D) : tf.tensor2d(buf, [rows.length, x.cols]);
}
