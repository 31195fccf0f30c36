import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { LatentkitError } from '@latentkit/core';
import { type CovarianceEngine, getCovarianceEngine, setCovarianceEngine } from '../covariance-engine.js';
import { type GramChunk, type GramChunkTask, gramChunkKernelBytes, gramChunkResultBytes } from '../gram-chunk.js';
import type { ChunkReply, ChunkRequest } from './covariance-worker.js';

/** A covariance engine that spreads row chunks over worker threads; close() ends the threads. */
export interface WorkerCovarianceEngine extends CovarianceEngine {
  readonly threads: number;
  close(): Promise<void>;
}

/** A worker thread's own heap and runtime, before any kernel memory (measured near 10 MB on Node 20). */
const WORKER_THREAD_BYTES = 16 * 2 ** 20;

interface Job {
  readonly id: number;
  readonly task: GramChunkTask;
  readonly resolve: (chunk: GramChunk) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  worker: Worker | undefined;
  job: Job | undefined;
}

/**
 * Creates (without registering) an engine with `threads` workers, started on first use. Idle workers
 * are unref'd, so they never keep a finished process alive.
 */
export function createWorkerCovarianceEngine(threads: number = availableParallelism()): WorkerCovarianceEngine {
  if (!Number.isInteger(threads) || threads < 1) throw new LatentkitError('E_OPTION', `PCA worker threads must be an integer ≥ 1, got ${String(threads)}`);
  const slots: Slot[] = Array.from({ length: threads }, () => ({ worker: undefined, job: undefined }));
  const queue: Job[] = [];
  let nextId = 0;
  let closed = false;

  const start = (slot: Slot): Worker => {
    // Workers inherit the parent's node flags; ones that only make sense for the main script (--input-type,
    // used with `node -e`) would make the worker fail to start.
    const worker = new Worker(workerUrl(), { execArgv: process.execArgv.filter((flag) => !flag.startsWith('--input-type')) });
    worker.on('message', (reply: ChunkReply) => finish(slot, reply.ok ? { dp: reply.dp, gram: reply.gram, sums: reply.sums } : new Error(reply.message)));
    worker.on('error', (error) => {
      slot.worker = undefined;
      finish(slot, error);
    });
    worker.on('exit', (code) => {
      if (slot.worker !== worker) return;
      slot.worker = undefined;
      finish(slot, new Error(`PCA covariance worker exited with code ${code}`));
    });
    return worker;
  };

  const finish = (slot: Slot, outcome: GramChunk | Error): void => {
    const job = slot.job;
    slot.job = undefined;
    slot.worker?.unref();
    if (job) {
      if (outcome instanceof Error) job.reject(new LatentkitError('E_BACKEND', `PCA covariance worker failed: ${outcome.message}`));
      else job.resolve(outcome);
    }
    dispatch();
  };

  const dispatch = (): void => {
    for (const slot of slots) {
      if (closed || slot.job || queue.length === 0) continue;
      const job = queue.shift()!;
      slot.worker ??= start(slot);
      slot.job = job;
      slot.worker.ref();
      // Copy the chunk's rows so only they (not the whole dataset buffer) travel, and transfer the copy; a
      // chunk the caller copied for the engine (owned, its whole buffer) is transferred as it is.
      const given = job.task.data;
      const data = job.task.owned && given.byteOffset === 0 && given.byteLength === given.buffer.byteLength ? given : given.slice();
      const mode = job.task.mode.kind === 'byte' ? job.task.mode : { kind: 'centred' as const, mean: job.task.mode.mean };
      const request: ChunkRequest = { id: job.id, task: { data, rows: job.task.rows, cols: job.task.cols, mode } };
      slot.worker.postMessage(request, [data.buffer as ArrayBuffer]);
    }
  };

  const engine: WorkerCovarianceEngine = {
    name: `worker-threads(${threads})`,
    threads,
    // Two chunks per thread: each worker finds its next chunk waiting when it finishes one.
    concurrency: 2 * threads,
    // A running chunk holds its worker (heap and kernel memory) and a copy of its rows; every outstanding
    // chunk may hold its sums, transferred back and waiting to be added in order, and the last ones added
    // stay until the garbage collector runs (one more set).
    memoryBytes: (rows, cols, inFlight) =>
      Math.min(inFlight, threads) * (WORKER_THREAD_BYTES + gramChunkKernelBytes(cols) + rows * cols * 4) + (inFlight + 1) * gramChunkResultBytes(cols),
    gramChunk: (task) =>
      new Promise<GramChunk>((resolve, reject) => {
        if (closed) throw new LatentkitError('E_BACKEND', 'this PCA worker engine was closed');
        queue.push({ id: nextId++, task, resolve, reject });
        dispatch();
      }),
    close: async () => {
      closed = true;
      if (getCovarianceEngine() === engine) setCovarianceEngine(undefined);
      for (const job of queue.splice(0)) job.reject(new LatentkitError('E_BACKEND', 'this PCA worker engine was closed'));
      await Promise.all(
        slots.map(async (slot) => {
          const worker = slot.worker;
          slot.worker = undefined;
          slot.job?.reject(new LatentkitError('E_BACKEND', 'this PCA worker engine was closed'));
          slot.job = undefined;
          await worker?.terminate();
        }),
      );
    },
  };
  return engine;
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
