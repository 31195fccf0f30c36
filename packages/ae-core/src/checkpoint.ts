import {
  createBundle,
  float32Blob,
  LatentkitError,
  REDUCER_SPEC_VERSION,
  type BundleBlob,
  type JsonValue,
  type LossPoint,
  type ModelBundle,
  type PluginPackage,
} from '@latentkit/core';
import type { ParamSpec } from './network.js';
import type { TrainState } from './train-state.js';
import { weightsFromBundle } from './weights.js';

/**
 * A checkpoint is an ordinary model bundle (its weights load like a saved model) plus training state:
 * Adam's moments and, when the best epoch is not the last, the best weights, in blobs named
 * `checkpoint.*`, and the rest in manifest.extra.checkpoint.
 */
export const CHECKPOINT_BLOB_PREFIX = 'checkpoint.';
export const CHECKPOINT_FORMAT_VERSION = 1;

const BEST_PREFIX = `${CHECKPOINT_BLOB_PREFIX}best.`;
const firstMomentBlob = (i: number) => `${CHECKPOINT_BLOB_PREFIX}adam.m.${i}`;
const secondMomentBlob = (i: number) => `${CHECKPOINT_BLOB_PREFIX}adam.v.${i}`;

/** What a checkpoint must agree on with the fit that resumes from it. */
export interface CheckpointIdentity {
  readonly kind: string;
  /** The package of the kind, recorded in the checkpoint like in a saved model. */
  readonly plugin?: PluginPackage;
  readonly options: Readonly<Record<string, unknown>>;
  readonly inputShape: readonly number[];
  readonly latentDim: number;
  readonly seed: number;
  /** Rows of the training data and a CRC-32 of its values: resuming on other data would be silently wrong. */
  readonly dataRows: number;
  readonly dataFingerprint: number;
}

/** manifest.extra.checkpoint. */
export interface CheckpointInfo {
  readonly formatVersion: number;
  readonly epoch: number;
  readonly sinceBest: number;
  readonly bestEpoch: number;
  readonly bestValue: number;
  readonly dataRows: number;
  readonly dataFingerprint: number;
  readonly optimizer: { readonly kind: 'adam'; readonly iterations: number; readonly accBeta1: number; readonly accBeta2: number };
  /** The attempt of the fit (0 = the first, k = the k-th retry after a collapse): it fixes the seed and rate a resume continues with. */
  readonly attempt: number;
  /** RMS of the probe codes when the attempt started (the exploding-codes reference); absent when the model was not watched. */
  readonly initialCodeRms?: number;
}

export function checkpointToBundle(id: CheckpointIdentity, specs: readonly ParamSpec[], state: TrainState): ModelBundle {
  const blobs: Record<string, BundleBlob> = {};
  for (const s of specs) blobs[s.name] = float32Blob(state.weights.get(s.name)!, s.shape);
  if (state.best.weights !== state.weights) {
    for (const s of specs) blobs[BEST_PREFIX + s.name] = float32Blob(state.best.weights.get(s.name)!, s.shape);
  }
  trainableSpecs(specs).forEach((s, i) => {
    blobs[firstMomentBlob(i)] = float32Blob(state.optimizer.firstMoments[i]!, s.shape);
    blobs[secondMomentBlob(i)] = float32Blob(state.optimizer.secondMoments[i]!, s.shape);
  });
  const { iterations, accBeta1, accBeta2 } = state.optimizer;
  const info: CheckpointInfo = {
    formatVersion: CHECKPOINT_FORMAT_VERSION,
    epoch: state.epoch,
    sinceBest: state.sinceBest,
    bestEpoch: state.best.epoch,
    bestValue: state.best.value,
    dataRows: id.dataRows,
    dataFingerprint: id.dataFingerprint,
    optimizer: { kind: 'adam', iterations, accBeta1, accBeta2 },
    attempt: state.attempt ?? 0,
    ...(state.initialCodeRms !== undefined && Number.isFinite(state.initialCodeRms) ? { initialCodeRms: state.initialCodeRms } : {}),
  };
  return createBundle({
    kind: id.kind,
    specVersion: REDUCER_SPEC_VERSION,
    ...(id.plugin ? { plugin: id.plugin } : {}),
    options: id.options,
    inputShape: id.inputShape,
    latentDim: id.latentDim,
    seed: id.seed,
    metrics: lastLossMetrics(state.history),
    extra: { history: state.history, checkpoint: info },
    blobs,
  });
}

/** The checkpoint section of a bundle's manifest, or undefined for a plain saved model. */
export function checkpointInfoOf(bundle: ModelBundle): CheckpointInfo | undefined {
  const raw = bundle.manifest.extra.checkpoint;
  if (raw === undefined) return undefined;
  const bad = (why: string) => new LatentkitError('E_BUNDLE_CORRUPT', `${bundle.manifest.kind} checkpoint: ${why}`);
  if (!isRecord(raw)) throw bad('manifest.extra.checkpoint is not an object');
  if (raw.formatVersion !== CHECKPOINT_FORMAT_VERSION) {
    throw new LatentkitError('E_BUNDLE_VERSION', `${bundle.manifest.kind} checkpoint format ${JSON.stringify(raw.formatVersion)} is not supported (this version reads ${CHECKPOINT_FORMAT_VERSION})`);
  }
  const int = (k: string, min: number) => {
    const v = raw[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw bad(`"${k}" must be an integer ≥ ${min}, got ${JSON.stringify(v)}`);
    return v;
  };
  const num = (o: Record<string, JsonValue>, k: string) => {
    const v = o[k];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(`"${k}" must be a finite number, got ${JSON.stringify(v)}`);
    return v;
  };
  const opt = raw.optimizer;
  if (!isRecord(opt) || opt.kind !== 'adam') throw bad('optimizer state must be Adam\'s');
  // Checkpoints written before retries existed have neither field: the first attempt, codes not watched.
  const attempt = raw.attempt === undefined ? 0 : int('attempt', 0);
  const initialCodeRms = raw.initialCodeRms === undefined ? undefined : num(raw, 'initialCodeRms');
  return {
    formatVersion: CHECKPOINT_FORMAT_VERSION,
    epoch: int('epoch', 1),
    sinceBest: int('sinceBest', 0),
    bestEpoch: int('bestEpoch', 1),
    bestValue: num(raw, 'bestValue'),
    dataRows: int('dataRows', 1),
    dataFingerprint: int('dataFingerprint', 0),
    optimizer: { kind: 'adam', iterations: num(opt, 'iterations'), accBeta1: num(opt, 'accBeta1'), accBeta2: num(opt, 'accBeta2') },
    attempt,
    ...(initialCodeRms !== undefined ? { initialCodeRms } : {}),
  };
}

/** The bundle without its checkpoint.* blobs: what a saved model of the same weights would hold. */
export function modelPartOf(bundle: ModelBundle): ModelBundle {
  return { manifest: bundle.manifest, blobs: new Map([...bundle.blobs].filter(([name]) => !name.startsWith(CHECKPOINT_BLOB_PREFIX))) };
}

/** Reads the training state back; every blob is checked against the architecture's weights. */
export function trainStateFromBundle(bundle: ModelBundle, specs: readonly ParamSpec[]): TrainState {
  const info = checkpointInfoOf(bundle);
  const kind = bundle.manifest.kind;
  if (!info) throw new LatentkitError('E_BUNDLE_CORRUPT', `this ${kind} bundle is a saved model, not a checkpoint (it has no training state to resume)`);
  const weights = weightsFromBundle(modelPartOf(bundle), specs);
  const hasBest = [...bundle.blobs.keys()].some((n) => n.startsWith(BEST_PREFIX));
  const bestWeights = hasBest ? weightsFromBundle(renamed(bundle, BEST_PREFIX), specs) : weights;
  if (!hasBest && info.bestEpoch !== info.epoch) throw new LatentkitError('E_BUNDLE_CORRUPT', `${kind} checkpoint: the best weights (epoch ${info.bestEpoch}) are missing`);
  const trainable = trainableSpecs(specs);
  const moment = (name: string, s: ParamSpec) => {
    const m = weightsFromBundle(renamed(bundle, name, s.name), [s]);
    return m.get(s.name)!;
  };
  const history = bundle.manifest.extra.history;
  if (!Array.isArray(history) || history.length !== info.epoch || !history.every(isLossPoint)) {
    throw new LatentkitError('E_BUNDLE_CORRUPT', `${kind} checkpoint: the history must list ${info.epoch} epochs`);
  }
  return {
    epoch: info.epoch,
    history: history as unknown as LossPoint[],
    weights,
    optimizer: {
      iterations: info.optimizer.iterations,
      accBeta1: info.optimizer.accBeta1,
      accBeta2: info.optimizer.accBeta2,
      firstMoments: trainable.map((s, i) => moment(firstMomentBlob(i), s)),
      secondMoments: trainable.map((s, i) => moment(secondMomentBlob(i), s)),
    },
    best: { value: info.bestValue, epoch: info.bestEpoch, weights: bestWeights },
    sinceBest: info.sinceBest,
    ...(info.attempt > 0 ? { attempt: info.attempt } : {}),
    ...(info.initialCodeRms !== undefined ? { initialCodeRms: info.initialCodeRms } : {}),
  };
}

function trainableSpecs(specs: readonly ParamSpec[]): ParamSpec[] {
  return specs.filter((s) => s.trainable !== false);
}

/**
 * A view of the bundle holding only the blobs that start with `prefix` (renamed without it), or with
 * just the one blob named `prefix` renamed to `as`, so weightsFromBundle can check them.
 */
function renamed(bundle: ModelBundle, prefix: string, as?: string): ModelBundle {
  const blobs = new Map<string, BundleBlob>();
  for (const [name, blob] of bundle.blobs) {
    if (as !== undefined) {
      if (name === prefix) blobs.set(as, blob);
    } else if (name.startsWith(prefix)) {
      blobs.set(name.slice(prefix.length), blob);
    }
  }
  if (as !== undefined && blobs.size === 0) throw new LatentkitError('E_BUNDLE_CORRUPT', `${bundle.manifest.kind} checkpoint: blob "${prefix}" is missing`);
  return { manifest: bundle.manifest, blobs };
}

function isLossPoint(v: unknown): boolean {
  return isRecord(v) && typeof v.epoch === 'number' && typeof v.loss === 'number';
}

function isRecord(v: unknown): v is Record<string, JsonValue> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The bundle metrics of a training history: its last epoch's training (and validation) loss. */
export function lastLossMetrics(history: readonly LossPoint[]): Record<string, number> {
  const last = history[history.length - 1];
  return last ? { trainLoss: last.loss, ...(last.valLoss !== undefined ? { valLoss: last.valLoss } : {}) } : {};
}
