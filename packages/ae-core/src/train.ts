import * as tf from '@tensorflow/tfjs';
import {
  createRng,
  LatentkitError,
  selectRows,
  throwIfAborted,
  type LossPoint,
  type Matrix,
  type ProgressListener,
} from '@latentkit/core';
import { epochOrder } from './epoch-order.js';
import { INFERENCE, type ForwardContext, type ParamStore, type WeightValues } from './network.js';
import { captureAdamState, isFiniteAdamState, restoreAdamState } from './optimizer-state.js';
import type { TrainingOptions } from './options.js';
import { learningRateAt } from './schedule.js';
import { isFiniteWeights, type TrainState } from './train-state.js';

/** What the loop trains: weights plus a batch loss (mean over the batch). */
export interface TrainableModel {
  readonly store: ParamStore;
  loss(x: tf.Tensor2D, ctx: ForwardContext): tf.Scalar;
}

export type TrainSettings = Omit<TrainingOptions, 'backend'> & { readonly seed: number };

export interface TrainHooks {
  readonly signal?: AbortSignal;
  readonly onProgress?: ProgressListener;
  /** Called after each epoch's bookkeeping, before early stopping may end the run. */
  readonly onEpochEnd?: (point: LossPoint) => void;
  /**
   * Called (and awaited) after each completed epoch, early-stopping bookkeeping included, with a state
   * `resumeFrom` can continue from. Never called with non-finite weights or optimizer state.
   */
  readonly onCheckpoint?: (state: TrainState) => Promise<void> | void;
  /** Continue from a state given to onCheckpoint by a run with the same model, data and settings. */
  readonly resumeFrom?: TrainState;
}

export interface TrainResult {
  readonly history: LossPoint[];
  /** 1-based epoch whose weights the model ends with. */
  readonly bestEpoch: number;
  readonly stoppedEarly: boolean;
  readonly seconds: number;
  readonly samplesPerSecond: number;
}

/**
 * Adam on shuffled mini-batches with a seeded validation split, learning-rate schedule, early stopping
 * (restoring the best weights), progress events, cancellation between batches and divergence detection.
 * On a non-finite loss the weights go back to the end of the last good epoch and E_DIVERGED is thrown.
 */
export async function trainModel(model: TrainableModel, x: Matrix, settings: TrainSettings, hooks: TrainHooks = {}): Promise<TrainResult> {
  const { epochs, batchSize, learningRate, lrSchedule, validationSplit, patience } = settings;
  const { signal, onProgress, onCheckpoint, resumeFrom } = hooks;
  const rng = createRng(settings.seed);
  const splitRng = rng.fork();
  const shuffleSeed = rng.uint32();

  const order = splitRng.permutation(x.rows);
  const nVal = validationSplit > 0 ? Math.max(1, Math.round(x.rows * validationSplit)) : 0;
  if (x.rows - nVal < 1) throw new LatentkitError('E_EMPTY', `${x.rows} rows leave nothing to train on after a ${validationSplit} validation split`);
  const valX = nVal > 0 ? selectRows(x, order.subarray(0, nVal)) : undefined;
  const baseRows = order.slice(nVal);
  const batches = Math.ceil(baseRows.length / batchSize);
  const totalSteps = epochs * batches;

  const store = model.store;
  const trainable = store.trainable;
  const optimizer = tf.train.adam(learningRate);
  const history: LossPoint[] = [];
  const started = performance.now();
  let trainSeconds = 0;
  let samplesDone = 0;
  let lastYield = started;
  let lastGood: WeightValues = store.snapshot();
  let best = { value: Infinity, epoch: 0, weights: lastGood };
  let sinceBest = 0;
  let stoppedEarly = false;
  let firstEpoch = 1;

  const diverged = (what: string, where: string): LatentkitError => {
    store.restore(lastGood);
    return new LatentkitError('E_DIVERGED', `training diverged: ${what} at ${where}; weights were kept from the last good epoch (try a lower learningRate)`);
  };

  try {
    if (resumeFrom) {
      if (resumeFrom.epoch < 1 || resumeFrom.epoch > epochs || resumeFrom.history.length !== resumeFrom.epoch) {
        throw new LatentkitError('E_BUNDLE_CORRUPT', `cannot resume at epoch ${resumeFrom.epoch} of a ${epochs}-epoch run with ${resumeFrom.history.length} epochs of history`);
      }
      store.restore(resumeFrom.weights);
      await restoreAdamState(optimizer, resumeFrom.optimizer, trainable);
      lastGood = resumeFrom.weights;
      history.push(...resumeFrom.history);
      best = { ...resumeFrom.best };
      sinceBest = resumeFrom.sinceBest;
      firstEpoch = resumeFrom.epoch + 1;
      // The checkpointed run may already have decided to stop early.
      stoppedEarly = patience > 0 && sinceBest >= patience;
    }
    for (let epoch = firstEpoch; epoch <= epochs && !stoppedEarly; epoch++) {
      const epochStart = performance.now();
      const trainRows = epochOrder(baseRows, shuffleSeed, epoch);
      let lossSum = 0;
      for (let b = 0; b < batches; b++) {
        throwIfAborted(signal, 'training');
        const rows = trainRows.subarray(b * batchSize, Math.min((b + 1) * batchSize, trainRows.length));
        const step = (epoch - 1) * batches + b;
        // tfjs's Adam reads this field on every step; it is only marked protected in the typings.
        (optimizer as unknown as { learningRate: number }).learningRate = learningRateAt(lrSchedule, learningRate, step / totalSteps);
        const stepStart = performance.now();
        const loss = trainStep(model, trainable, optimizer, x, rows);
        trainSeconds += (performance.now() - stepStart) / 1000;
        if (!Number.isFinite(loss)) throw diverged(`the loss became ${loss}`, `epoch ${epoch}, batch ${b + 1}`);
        lossSum += loss * rows.length;
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
          etaSeconds: ((totalSteps - step - 1) * trainRows.length) / batches / samplesPerSecond,
        });
        // Give timers and abort signals a turn now and then without slowing every batch.
        if (performance.now() - lastYield > 25) {
          await new Promise((resolve) => setTimeout(resolve, 0));
          lastYield = performance.now();
        }
      }
      throwIfAborted(signal, 'training');
      const trainLoss = lossSum / trainRows.length;
      const valLoss = valX ? evaluateLoss(model, valX, batchSize) : undefined;
      if (valLoss !== undefined && !Number.isFinite(valLoss)) throw diverged(`the loss became ${valLoss}`, `epoch ${epoch} (validation)`);
      // The last step's update can break the weights after a finite loss; such an epoch is not good.
      const weights = store.snapshot();
      if (!isFiniteWeights(weights)) throw diverged('the weights became non-finite', `the end of epoch ${epoch}`);
      // Checked every epoch (not only when checkpointing) so that checkpointing never changes the outcome.
      const optimizerState = await captureAdamState(optimizer);
      if (!isFiniteAdamState(optimizerState)) throw diverged('the optimizer state became non-finite', `the end of epoch ${epoch}`);
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
        etaSeconds: ((epochs - epoch) * trainRows.length) / samplesPerSecond,
        message: `epoch ${epoch}/${epochs} loss ${trainLoss.toPrecision(4)}${valLoss !== undefined ? ` val ${valLoss.toPrecision(4)}` : ''}`,
      });
      hooks.onEpochEnd?.(point);
      stoppedEarly = patience > 0 && sinceBest >= patience;
      await onCheckpoint?.({ epoch, history: [...history], weights: lastGood, optimizer: optimizerState, best, sinceBest });
    }
    // With a validation set (or after stopping early) the best epoch wins, not the last one.
    const lastEpoch = history.length;
    if ((valX || stoppedEarly) && best.epoch !== lastEpoch) store.restore(best.weights);
    const bestEpoch = valX || stoppedEarly ? best.epoch : lastEpoch;
    return { history, bestEpoch, stoppedEarly, seconds: (performance.now() - started) / 1000, samplesPerSecond: samplesDone / Math.max(trainSeconds, 1e-9) };
  } finally {
    optimizer.dispose();
  }
}

function trainStep(model: TrainableModel, trainable: tf.Variable[], optimizer: tf.Optimizer, x: Matrix, rows: Int32Array): number {
  const updates: [string, tf.Tensor][] = [];
  const ctx: ForwardContext = { training: true, setState: (name, value) => updates.push([name, tf.keep(value)]) };
  const lossTensor = tf.tidy(() => {
    const xb = rowsTensor(x, rows);
    const { value, grads } = tf.variableGrads(() => model.loss(xb, ctx), trainable);
    optimizer.applyGradients(grads);
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

/** A fresh tensor holding the given rows (fresh buffer: the cpu backend keeps a reference to it). */
function rowsTensor(x: Matrix, rows: Int32Array): tf.Tensor2D {
  const buf = new Float32Array(rows.length * x.cols);
  for (let k = 0; k < rows.length; k++) buf.set(x.data.subarray(rows[k]! * x.cols, (rows[k]! + 1) * x.cols), k * x.cols);
  return tf.tensor2d(buf, [rows.length, x.cols]);
}
