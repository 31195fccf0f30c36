import { assertFinite, createMatrix, createRng, LatentkitError, type Matrix, type ProgressListener, type Rng, type RowBatch, type RowBatchSource, throwIfAborted } from '@latentkit/core';
import { CODE_PROBE_ROWS } from '../collapse.js';
import { continueFingerprint } from '../resume.js';
import { mixSeed } from '../step-seed.js';
import type { TrainingBatch, TrainingData } from '../train.js';
import { ShuffleWindow } from './shuffle-window.js';
import { TrivialSums } from './trivial-sums.js';
import { validationRate, ValidationRows } from './validation-rows.js';

/** Rows in the shuffle window of a streamed fit (about 12 MiB at 784 features). */
export const STREAM_SHUFFLE_ROWS = 4096;
/** Most validation rows a streamed fit holds (in memory, evaluated after every epoch as in-memory fits do). */
export const STREAM_VALIDATION_ROWS = 4096;
/** Training rows kept from the first pass for data-initialised weights (`fromData`) and the code probe. */
export const STREAM_INIT_ROWS = 2048;
/** Most rows asked of the source per batch. */
export const STREAM_READ_ROWS = 1024;

export interface StreamDataSettings {
  readonly validationSplit: number;
  /** Keys the validation hash (ValidationRows). */
  readonly key: number;
  /** Shuffle-window rows (default STREAM_SHUFFLE_ROWS); also bounds the rows asked of the source per batch. */
  readonly shuffleRows?: number;
  /** Also fingerprint every row (validation rows included) on the first pass, as checkpoints need. */
  readonly fingerprint?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: ProgressListener;
}

/** A streamed source as the training loop's TrainingData, with what its first pass found. */
export interface StreamTrainingData extends TrainingData {
  /** Rows of the source (training and validation). */
  readonly sourceRows: number;
  readonly shuffleRows: number;
  /** dataFingerprint of all the source's rows, in order (with `fingerprint` set): what in-memory fits record. */
  readonly fingerprint?: number;
}

/**
 * Reads the source once (its survey: row count, validation rows, the trivial errors of the training rows, a
 * bounded sample for data-initialised weights, finite values, and when asked the data's fingerprint), then serves each epoch as a new pass through a
 * ShuffleWindow seeded by (shuffle seed, epoch). Nothing held grows with the row count: the window, at most
 * STREAM_VALIDATION_ROWS validation rows, STREAM_INIT_ROWS sample rows and one source batch.
 */
export async function streamTrainingData(source: RowBatchSource, settings: StreamDataSettings): Promise<StreamTrainingData> {
  const cols = source.cols;
  const shuffleRows = settings.shuffleRows ?? STREAM_SHUFFLE_ROWS;
  if (!Number.isInteger(shuffleRows) || shuffleRows < 1) throw new LatentkitError('E_OPTION', `the shuffle window of a streamed fit must be a positive number of rows, got ${shuffleRows}`);
  const readRows = Math.min(shuffleRows, STREAM_READ_ROWS);
  const rate = validationRate(settings.validationSplit, source.rows, STREAM_VALIDATION_ROWS);
  const validationRows = () => new ValidationRows(settings.key, rate, STREAM_VALIDATION_ROWS);
  const read = (signal?: AbortSignal) => source.batches({ batchRows: readRows, ...(signal ? { signal } : {}) });

  const expected = source.rows;
  const cap = (n: number) => (expected === undefined ? n : Math.min(n, expected));
  const validation = new RowBuffer(rate > 0 ? cap(STREAM_VALIDATION_ROWS) : 0, cols);
  // A uniform sample of the training rows (reservoir sampling), not the first ones: files are often sorted.
  const sample = new RowBuffer(cap(STREAM_INIT_ROWS), cols, createRng(mixSeed(settings.key, 1)));
  const sums = new TrivialSums(cols);
  const chosen = validationRows();
  let position = 0;
  let fingerprint = 0;
  for await (const batch of read(settings.signal)) {
    // Sources may ignore the signal: the first pass is cancelled between batches here too.
    throwIfAborted(settings.signal, 'reading the rows');
    checkBatch(source, batch);
    assertFinite(batch.x, `${source.name} (rows ${position + 1}–${position + batch.x.rows})`);
    if (settings.fingerprint) fingerprint = continueFingerprint(fingerprint, batch.x);
    const { data } = batch.x;
    for (let r = 0; r < batch.x.rows; r++, position++) {
      if (chosen.isValidation(position)) {
        validation.add(data, r * cols);
        continue;
      }
      sums.add(data, r * cols);
      sample.add(data, r * cols);
    }
    settings.onProgress?.({ phase: 'read', fraction: expected ? position / expected : 0, message: `surveyed ${position} rows of ${source.name}` });
  }
  const trainRows = position - chosen.taken;
  if (trainRows < 1) throw new LatentkitError('E_EMPTY', `${source.name} gave ${position} rows, leaving nothing to train on after a ${settings.validationSplit} validation split`);
  const initRows = sample.batch();

  return {
    sourceRows: position,
    shuffleRows,
    ...(settings.fingerprint ? { fingerprint } : {}),
    trainRows,
    trivial: sums.errors(),
    initRows,
    probeRows: { x: initRows.x, rows: initRows.rows.subarray(0, Math.min(CODE_PROBE_ROWS, initRows.rows.length)) },
    ...(chosen.taken > 0 ? { validation: validation.batch().x } : {}),
    async *epochBatches(epoch, shuffleSeed, batchSize, signal) {
      const window = new ShuffleWindow(shuffleRows, cols, batchSize, createRng(mixSeed(shuffleSeed, epoch)));
      const held = validationRows();
      let at = 0;
      for await (const batch of read(signal)) {
        checkBatch(source, batch);
        const { data } = batch.x;
        for (let r = 0; r < batch.x.rows; r++) {
          if (held.isValidation(at++)) continue;
          const full = window.push(data, r * cols);
          if (full) yield asTrainingBatch(full);
        }
      }
      for (const full of window.drain()) yield asTrainingBatch(full);
      if (at !== position) {
        throw new LatentkitError('E_INPUT_FORMAT', `${source.name} gave ${at} rows in epoch ${epoch} but ${position} in its first pass: a streamed fit needs a source that reads the same rows on every pass`);
      }
    },
  };
}

/** A source batch must have the source's column count (a reader bug or a changed file otherwise). */
function checkBatch(source: RowBatchSource, batch: RowBatch): void {
  if (batch.x.cols !== source.cols) throw new LatentkitError('E_SHAPE', `${source.name} declared ${source.cols} columns but gave a batch of ${batch.x.cols}`);
}

const identities = new Map<number, Int32Array>();

/** A whole batch as the loop's (x, rows) pair: rows 0…n−1 (shared, never written). */
function asTrainingBatch(x: Matrix): TrainingBatch {
  let rows = identities.get(x.rows);
  if (!rows) {
    rows = Int32Array.from({ length: x.rows }, (_, i) => i);
    if (identities.size < 64) identities.set(x.rows, rows);
  }
  return { x, rows };
}

/**
 * Up to `capacity` rows copied in: the first ones, or with a generator a uniform sample of all rows added
 * (reservoir sampling: row i replaces a random slot with probability capacity / (i + 1)).
 */
class RowBuffer {
  readonly #data: Float32Array;
  #rows = 0;
  #seen = 0;

  constructor(
    readonly capacity: number,
    readonly cols: number,
    readonly rng?: Rng,
  ) {
    this.#data = new Float32Array(capacity * cols);
  }

  add(data: Float32Array, start: number): void {
    const seen = this.#seen++;
    let slot = this.#rows;
    if (slot >= this.capacity) {
      if (!this.rng) return;
      slot = this.rng.int(seen + 1);
      if (slot >= this.capacity) return;
    } else {
      this.#rows++;
    }
    this.#data.set(data.subarray(start, start + this.cols), slot * this.cols);
  }

  batch(): TrainingBatch {
    return asTrainingBatch(createMatrix(this.#rows, this.cols, this.#data.slice(0, this.#rows * this.cols)));
  }
}
