import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { LatentkitError } from '@latentkit/core';
import { type CovarianceEngine, getCovarianceEngine, setCovarianceEngine } from '../covariance-engine.js';
import { type GramChunk, gramChunkKernelBytes, gramChunkResultBytes } from '../gram-chunk.js';
import type { ScoreScreen } from '../sign-scores.js';
import type { ChunkReply, ChunkRequest } from './covariance-worker.js';

/** A covariance engine that spreads row chunks over worker threads; close() ends the threads. */
export interface WorkerCovarianceEngine extends CovarianceEngine {
  readonly threads: number;
  close(): Promise<void>;
}

/** A worker thread's own heap and runtime, before any kernel memory (measured near 10 MB on Node 20). */
const WORKER_THREAD_BYTES = 16 * 2 ** 20;

type JobResult = GramChunk | ScoreScreen;

interface Job {
  readonly request: (id: number) => { readonly message: ChunkRequest; readonly transfer: ArrayBuffer[] };
  readonly resolve: (result: JobResult) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  worker: Worker | undefined;
  /** Jobs posted to this worker, oldest first: it answers them in the order it received them. */
  readonly jobs: Job[];
}

/**
 * Jobs posted to one worker at a time: the one it runs and the next, already in its message queue, so it
 * never waits on the main thread between chunks.
 */
const JOBS_PER_WORKER = 2;

/**
 * Creates (without registering) an engine with `threads` workers, started on first use. Idle workers
 * are unref'd, so they never keep a finished process alive.
 */
export function createWorkerCovarianceEngine(threads: number = availableParallelism()): WorkerCovarianceEngine {
  if (!Number.isInteger(threads) || threads < 1) throw new LatentkitError('E_OPTION', `PCA worker threads must be an integer ≥ 1, got ${String(threads)}`);
  const slots: Slot[] = Array.from({ length: threads }, () => ({ worker: undefined, jobs: [] }));
  const queue: Job[] = [];
  /** Row buffers the workers handed back, reused for the next chunks' copies (no fresh allocation per chunk). */
  const spare: ArrayBuffer[] = [];
  let nextId = 0;
  let closed = false;
  const copyRows = (given: Float32Array, owned: boolean | undefined): Float32Array => {
    // Rows on shared memory are read by the worker in place; a chunk the caller copied for the engine (owned,
    // its whole buffer) is transferred as it is.
    if (given.buffer instanceof SharedArrayBuffer) return given;
    if (owned && given.byteOffset === 0 && given.byteLength === given.buffer.byteLength) return given;
    const reuse = spare.findIndex((buffer) => buffer.byteLength >= given.byteLength);
    if (reuse < 0) return given.slice();
    const rows = new Float32Array(spare.splice(reuse, 1)[0]!, 0, given.length);
    rows.set(given);
    return rows;
  };

  const start = (slot: Slot): Worker => {
    // Workers inherit the parent's node flags; ones that only make sense for the main script (--input-type,
    // used with `node -e`) would make the worker fail to start.
    const worker = new Worker(workerUrl(), { execArgv: process.execArgv.filter((flag) => !flag.startsWith('--input-type')) });
    worker.on('message', (reply: ChunkReply) => {
      if (reply.rows && spare.length < JOBS_PER_WORKER * threads) spare.push(reply.rows);
      finish(slot, !reply.ok ? new Error(reply.message) : reply.kind === 'gram' ? { dp: reply.dp, gram: reply.gram, sums: reply.sums, ...(reply.notBytes ? { notBytes: true } : {}) } : reply.screen);
    });
    worker.on('error', (error) => failAll(slot, worker, error));
    worker.on('exit', (code) => failAll(slot, worker, new Error(`PCA covariance worker exited with code ${code}`)));
    return worker;
  };

  const finish = (slot: Slot, outcome: JobResult | Error): void => {
    const job = slot.jobs.shift();
    if (slot.jobs.length === 0) slot.worker?.unref();
    if (job) settle(job, outcome);
    dispatch();
    // Idle: the spare row buffers go, so an engine between fits holds no copies of rows.
    if (queue.length === 0 && slots.every((s) => s.jobs.length === 0)) spare.length = 0;
  };

  /** A worker that failed or exited takes every job posted to it down with it; the next job starts a new one. */
  const failAll = (slot: Slot, worker: Worker, error: Error): void => {
    if (slot.worker !== worker) return;
    slot.worker = undefined;
    for (const job of slot.jobs.splice(0)) settle(job, error);
    dispatch();
  };

  const settle = (job: Job, outcome: JobResult | Error): void => {
    if (outcome instanceof Error) job.reject(new LatentkitError('E_BACKEND', `PCA covariance worker failed: ${outcome.message}`));
    else job.resolve(outcome);
  };

  const dispatch = (): void => {
    // Fill the emptiest workers first, so each has one job before any gets a second.
    for (let depth = 0; depth < JOBS_PER_WORKER; depth++) {
      for (const slot of slots) {
        if (closed || slot.jobs.length > depth || queue.length === 0) continue;
        const job = queue.shift()!;
        slot.worker ??= start(slot);
        slot.jobs.push(job);
        slot.worker.ref();
        const { message, transfer } = job.request(nextId++);
        slot.worker.postMessage(message, transfer);
      }
    }
  };

  const submit = <T extends JobResult>(request: Job['request']): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (closed) throw new LatentkitError('E_BACKEND', 'this PCA worker engine was closed');
      queue.push({ request, resolve: resolve as (result: JobResult) => void, reject });
      dispatch();
    });

  const engine: WorkerCovarianceEngine = {
    name: `worker-threads(${threads})`,
    threads,
    // Two chunks per thread: each worker finds its next chunk waiting when it finishes one.
    concurrency: JOBS_PER_WORKER * threads,
    // A running chunk holds its worker (heap and kernel memory); every outstanding chunk holds a copy of its
    // rows and may hold its sums, transferred back and waiting to be added in order, and the last ones added
    // stay until the garbage collector runs (one more set).
    memoryBytes: (rows, cols, inFlight) =>
      Math.min(inFlight, threads) * (WORKER_THREAD_BYTES + gramChunkKernelBytes(cols)) + inFlight * rows * cols * 4 + (inFlight + 1) * gramChunkResultBytes(cols),
    gramChunk: (task) =>
      submit<GramChunk>((id) => {
        const data = copyRows(task.data, task.owned);
        const mode = task.mode.kind === 'byte' ? task.mode : { kind: 'centred' as const, mean: task.mode.mean };
        return { message: { id, kind: 'gram', task: { data, rows: task.rows, cols: task.cols, mode } }, transfer: transferable(data) };
      }),
    screenScores: (task) =>
      submit<ScoreScreen>((id) => {
        const data = copyRows(task.data, task.owned);
        const message: ChunkRequest = { id, kind: 'scores', task: { data, rows: task.rows, cols: task.cols, components: task.components, k: task.k, meanScore: task.meanScore } };
        return { message, transfer: transferable(data) };
      }),
    close: async () => {
      closed = true;
      if (getCovarianceEngine() === engine) setCovarianceEngine(undefined);
      const closedError = () => new LatentkitError('E_BACKEND', 'this PCA worker engine was closed');
      for (const job of queue.splice(0)) job.reject(closedError());
      await Promise.all(
        slots.map(async (slot) => {
          const worker = slot.worker;
          slot.worker = undefined;
          for (const job of slot.jobs.splice(0)) job.reject(closedError());
          await worker?.terminate();
        }),
      );
    },
  };
  return engine;
}

/** The buffer to transfer with a chunk's rows: none when they are on shared memory (shared, not moved). */
function transferable(rows: Float32Array): ArrayBuffer[] {
  return rows.buffer instanceof SharedArrayBuffer ? [] : [rows.buffer];
}

/**
 * Registers a worker-thread covariance engine for every later PCA fit in this process and returns it.
 * Results are bit-identical to the single-threaded engine.
 */
export function useWorkerThreads(threads: number = availableParallelism()): WorkerCovarianceEngine {
  const engine = createWorkerCovarianceEngine(threads);
  setCovarianceEngine(engine);
  return engine;
}

/** The compiled worker beside this module; from the TypeScript sources (tests), the built one in dist. */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL('../../dist/node/covariance-worker.js', here) : new URL('./covariance-worker.js', here);
}
