import type { Matrix } from '@latentkit/core';

/**
 * Collapse and divergence detection for the training loop: what a fit that learned nothing scores, and the
 * per-epoch verdict that makes the loop re-initialise (new seed, lower learning rate) or give up.
 */

/** Per-element MSE of the two trivial reconstructions of a set of rows. */
export interface TrivialErrors {
  /** Predicting every row as the per-feature mean: the mean over features of the variance around that mean. */
  readonly constant: number;
  /** Predicting zeros (a blank image): the mean of x². */
  readonly blank: number;
}

/** The trivial errors of `rows` of x (all rows when omitted), accumulated in float64. */
export function trivialErrors(x: Matrix, rows?: ArrayLike<number>): TrivialErrors {
  const n = rows ? rows.length : x.rows;
  const D = x.cols;
  if (n === 0 || D === 0) return { constant: 0, blank: 0 };
  const sum = new Float64Array(D);
  const sumSq = new Float64Array(D);
  for (let k = 0; k < n; k++) {
    const base = (rows ? rows[k]! : k) * D;
    for (let j = 0; j < D; j++) {
      const v = x.data[base + j]!;
      sum[j]! += v;
      sumSq[j]! += v * v;
    }
  }
  let variance = 0;
  let square = 0;
  for (let j = 0; j < D; j++) {
    const mean = sum[j]! / n;
    // Σ(v − mean)² = Σv² − n·mean², clamped against rounding below zero.
    variance += Math.max(0, sumSq[j]! - n * mean * mean);
    square += sumSq[j]!;
  }
  return { constant: variance / (n * D), blank: square / (n * D) };
}

/** How the loop watches a fit and what it does when the fit fails. */
export interface RecoverySettings {
  /** Re-initialisations (derived seed, lower learning rate) after a collapse or divergence; 0 = stop at once. */
  readonly retries: number;
  /** Each retry's peak learning rate is the previous one's times this. */
  readonly lrFactor: number;
  /** The loss counts as trivial when it is ≥ (1 − trivialTolerance) × the constant-prediction error. */
  readonly trivialTolerance: number;
  /** …and as stuck there when it fell by less than this fraction over the epoch (or since the last one)… */
  readonly minProgress: number;
  /** …after at least this many steps of the attempt: early losses are noisy, and slow starts are common. */
  readonly minSteps: number;
  /** Codes count as exploding when their RMS on a fixed probe grows past this multiple of its value at the start. */
  readonly maxCodeGrowth: number;
}

export const DEFAULT_RECOVERY: RecoverySettings = { retries: 2, lrFactor: 0.3, trivialTolerance: 0.02, minProgress: 0.01, minSteps: 100, maxCodeGrowth: 100 };

/** Epochs of at least this many batches are judged on their own two halves; shorter ones against the previous epoch. */
export const MIN_BATCHES_TO_SPLIT = 16;

/** Rows of the training set whose codes are watched for explosion (the first rows after the split). */
export const CODE_PROBE_ROWS = 256;

/** Why an attempt failed. `what` and `where` read as "<what> at <where>". */
export interface TrainingFailure {
  readonly kind: 'non-finite' | 'trivial' | 'exploding-codes';
  readonly what: string;
  readonly where: string;
}

/** What one epoch showed; the loop measures it, `epochFailure` judges it. */
export interface EpochEvidence {
  /** 1-based epoch within the attempt. */
  readonly epoch: number;
  /** Optimizer steps the attempt has taken so far. */
  readonly steps: number;
  /**
   * Sample-weighted mean training loss over the second half of the epoch's batches when it has enough of them
   * (MIN_BATCHES_TO_SPLIT) for the halves' means to be steady, else over the whole epoch.
   */
  readonly lateLoss: number;
  /**
   * What the loss should have improved on: the first half of this epoch, or for short epochs the previous
   * epoch's loss; undefined when there is none (the first epoch of an attempt with short epochs).
   */
  readonly earlierLoss?: number;
  /** RMS of the codes of the probe rows now and at the start of the attempt (when the model exposes its encoder). */
  readonly codeRms?: number;
  readonly initialCodeRms?: number;
}

const fmt = (v: number) => v.toPrecision(4);

/**
 * The verdict on one finished epoch: undefined for a fit that may go on. A fit is stuck at the trivial
 * solution when, after `minSteps` steps, its loss is no better than predicting the mean row (within the
 * tolerance; a sigmoid output saturated at 0 sits higher, at the blank-image error) and did not improve
 * on the first half of the epoch (or on the previous epoch); its codes explode when their RMS left its
 * starting scale by more than `maxCodeGrowth`. Healthy but slow starts keep improving and are left alone.
 */
export function epochFailure(e: EpochEvidence, trivial: TrivialErrors, settings: RecoverySettings = DEFAULT_RECOVERY): TrainingFailure | undefined {
  const where = `epoch ${e.epoch}`;
  if (e.codeRms !== undefined && !Number.isFinite(e.codeRms)) return { kind: 'non-finite', what: `the codes became ${e.codeRms}`, where };
  if (e.codeRms !== undefined && e.initialCodeRms !== undefined && Number.isFinite(e.initialCodeRms)) {
    // A floor so that an encoder starting near zero codes is not flagged for merely waking up.
    const start = Math.max(e.initialCodeRms, 1e-2);
    if (e.codeRms > settings.maxCodeGrowth * start) {
      return { kind: 'exploding-codes', what: `the codes exploded (RMS ${fmt(e.initialCodeRms)} at the start, ${fmt(e.codeRms)} now)`, where };
    }
  }
  const atTrivial = trivial.constant > 0 && e.lateLoss >= (1 - settings.trivialTolerance) * trivial.constant;
  const stuck = e.earlierLoss !== undefined && e.lateLoss >= (1 - settings.minProgress) * e.earlierLoss;
  if (atTrivial && stuck && e.steps >= settings.minSteps) {
    return {
      kind: 'trivial',
      what: `the loss ${fmt(e.lateLoss)} stopped improving at the trivial solution (predicting the mean row scores ${fmt(trivial.constant)}, a blank one ${fmt(trivial.blank)})`,
      where,
    };
  }
  return undefined;
}

/** A seed for retry `attempt` (≥ 1) of a fit seeded with `seed`: fixed by the two, different for each attempt. */
export function retrySeed(seed: number, attempt: number): number {
  let z = (seed ^ Math.imul(attempt, 0x9e3779b1)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}
