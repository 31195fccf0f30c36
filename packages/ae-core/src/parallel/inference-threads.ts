import { LatentkitError, sliceRows, type Matrix } from '@latentkit/core';
import { INFERENCE_BATCH_SIZE } from '../batched.js';
import type { ParamStore } from '../network.js';
import { openWorkers } from './open-workers.js';
import { flatWeights } from './parallel-step.js';
import type { ApplyWork, ReplicaPool } from './pools.js';
import type { ReplicaSource } from './replica.js';

/**
 * Calls with fewer rows stay on this thread: two inference batches are the least that can be split
 * without changing any batch (and below that the message round trip is a visible share of the call).
 */
export const PARALLEL_INFERENCE_MIN_ROWS = 2 * INFERENCE_BATCH_SIZE;

/** What the last large encode or decode ran on, and why on fewer threads than asked, if it did. */
export interface InferenceReport {
  readonly threads: number;
  readonly note?: string;
}

/** The model whose inference is spread: how replicas rebuild it, and its weights. */
export interface InferenceModel {
  /** The recipe worker threads rebuild the model from; undefined when it cannot be rebuilt in one. */
  readonly source: ReplicaSource | undefined;
  readonly store: ParamStore;
}

/** An encoder or a decoder applied on this thread to a block of rows. */
export type LocalApply = (x: Matrix) => Promise<Matrix>;

/** Validated thread count: an integer ≥ 1, or one E_OPTION line. */
export function assertInferenceThreads(kind: string, threads: number): number {
  if (!Number.isInteger(threads) || threads < 1) throw new LatentkitError('E_OPTION', `${kind} inferenceThreads must be an integer ≥ 1, got ${String(threads)}`);
  return threads;
}

/**
 * Contiguous row blocks, one per thread, cut at INFERENCE_BATCH_SIZE boundaries: each block's batches are
 * exactly the batches one thread would run, so the rows meet the same kernels in the same batch
 * composition and the result is bit-identical to one thread's. Fewer batches than threads use fewer blocks.
 */
export function inferenceBlocks(rows: number, threads: number): { readonly start: number; readonly end: number }[] {
  const batches = Math.ceil(rows / INFERENCE_BATCH_SIZE);
  const n = Math.max(1, Math.min(threads, batches));
  const blocks = [];
  let batch = 0;
  for (let k = 0; k < n; k++) {
    const count = Math.floor(batches / n) + (k < batches % n ? 1 : 0);
    blocks.push({ start: batch * INFERENCE_BATCH_SIZE, end: Math.min(rows, (batch + count) * INFERENCE_BATCH_SIZE) });
    batch += count;
  }
  return blocks;
}

/**
 * A fitted model's inference threads: this one plus replicas in worker threads, started on the first large
 * call and reused until close(). Each replica gets the weights once (a fitted model's weights do not change).
 * When replicas cannot be had, or fail, calls run on this thread and `report` says why.
 */
export class InferenceThreads {
  #threads: number;
  #pool: Promise<ReplicaPool | undefined> | undefined;
  /** Per pool: whether its replica k already holds the weights. */
  readonly #hasWeights = new WeakMap<ReplicaPool, boolean[]>();
  #weights: Float32Array | undefined;
  #report: InferenceReport = { threads: 1 };
  #closed = false;

  /** `running`: replicas of this model already started for `threads` (a fit's training workers), now owned here. */
  constructor(
    readonly kind: string,
    threads: number,
    readonly model: () => InferenceModel,
    running?: Promise<ReplicaPool | undefined>,
  ) {
    this.#threads = assertInferenceThreads(kind, threads);
    this.#pool = running;
  }

  get threads(): number {
    return this.#threads;
  }

  /** A new thread count; a pool of the old size is closed and the next large call opens one. */
  set threads(threads: number) {
    assertInferenceThreads(this.kind, threads);
    if (threads === this.#threads) return;
    this.#threads = threads;
    void this.#closePool();
  }

  get report(): InferenceReport {
    return this.#report;
  }

  /** `local` over x's rows, split over the threads when x is large enough; rows stay in order. */
  async map(part: ApplyWork['part'], x: Matrix, outCols: number, local: LocalApply): Promise<Matrix> {
    if (x.rows < PARALLEL_INFERENCE_MIN_ROWS) return local(x);
    if (this.#threads === 1 || this.#closed) {
      this.#report = { threads: 1 };
      return local(x);
    }
    const opening = this.#openPool();
    const pool = await opening;
    if (!pool) return local(x);
    const blocks = inferenceBlocks(x.rows, pool.replicas + 1);
    const remoteBlocks = blocks.slice(1);
    const weights = (this.#weights ??= flatWeights(this.model().store));
    const hasWeights = this.#hasWeights.get(pool) ?? [];
    this.#hasWeights.set(pool, hasWeights);
    // slice(), not subarray(): a view would post its whole buffer to every replica.
    const work = remoteBlocks.map(({ start, end }, k): ApplyWork => ({
      part,
      x: x.data.slice(start * x.cols, end * x.cols),
      rows: end - start,
      ...(hasWeights[k] ? {} : { weights }),
    }));
    // Replicas start on their blocks while this thread computes block 0.
    const remote = pool.apply(work).then(
      (outputs) => {
        remoteBlocks.forEach((_, k) => (hasWeights[k] = true));
        return outputs;
      },
      (e: Error) => this.#giveUp(opening, `a worker failed (${e.message.split('\n')[0]})`),
    );
    const first = await local(sliceRows(x, blocks[0]!.start, blocks[0]!.end));
    const out = new Float32Array(x.rows * outCols);
    out.set(first.data, 0);
    const outputs = await remote;
    if (outputs) this.#report = { threads: blocks.length };
    for (const [k, { start, end }] of remoteBlocks.entries()) out.set(outputs ? outputs[k]! : (await local(sliceRows(x, start, end))).data, start * outCols);
    return { data: out, rows: x.rows, cols: outCols };
  }

  /** The replicas, started or starting, now owned by the caller; this one starts its own if used again. */
  release(): Promise<ReplicaPool | undefined> | undefined {
    const pool = this.#pool;
    this.#pool = undefined;
    return pool;
  }

  /** Stops the replicas; later calls run on this thread. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#closePool();
  }

  #openPool(): Promise<ReplicaPool | undefined> {
    this.#pool ??= (async () => {
      let note: string | undefined;
      const { source, store } = this.model();
      const pool = await openWorkers(this.#threads, source, store, (e) => (note = e.message), 'inference');
      if (!pool) this.#report = { threads: 1, ...(note ? { note } : {}) };
      return pool;
    })();
    return this.#pool;
  }

  /**
   * A replica failed mid-call: close the pool, remember why, and let this thread do the rest from now on. A pool
   * already replaced (a new thread count, close()) only hands its call's blocks back to this thread.
   */
  async #giveUp(opening: Promise<ReplicaPool | undefined>, why: string): Promise<undefined> {
    if (opening !== this.#pool) return undefined;
    this.#pool = Promise.resolve(undefined);
    this.#report = { threads: 1, note: `inference on 1 thread instead of ${this.#threads}: ${why}` };
    await (await opening)?.close();
    return undefined;
  }

  async #closePool(): Promise<void> {
    const opening = this.#pool;
    this.#pool = undefined;
    const pool = await opening;
    await pool?.close();
  }
}
