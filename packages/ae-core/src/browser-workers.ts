// Data-parallel training and inference in the browser: replicas in module Web Workers (dedicated workers may start their
// own, so a training worker can hold the pool). Browser-safe: no `node:` imports, only structural types.
import { registerReplicaPoolOpener, type ReplicaPoolOpener } from './parallel/pools.js';
import type { ReplicaInit, ReplicaMessage, ReplicaRequest } from './parallel/replica.js';
import { serveReplica, type ReplicaRuntime } from './parallel/replica-host.js';
import { poolOfReplicas } from './parallel/replica-pool.js';

/** What the pool needs of a Web Worker (the DOM's Worker has it). */
export interface WebWorkerLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message' | 'error' | 'messageerror', listener: (event: { data?: unknown; message?: string }) => void): void;
  terminate(): void;
}

/** What a replica needs of its worker's global scope. */
export interface WorkerScopeLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: { data?: unknown }) => void): void;
}

/** The first message a browser replica gets: the model to rebuild and whatever its runtime needs. */
export interface BrowserReplicaInit<Extra = unknown> {
  readonly type: 'init';
  readonly init: ReplicaInit;
  readonly extra: Extra;
}

/** Replicas that were not ready by then are given up on (the fit goes on in one thread and says so). */
export const BROWSER_REPLICA_READY_MS = 60_000;

/**
 * A pool opener starting each replica with `startWorker()` (e.g. `new Worker(url, { type: 'module' })`) and
 * sending it `extra` with the model (an import map, say). A worker that fails to load rejects the opening.
 */
export function browserReplicaPoolOpener<Extra>(startWorker: () => WebWorkerLike, extra: Extra, readyTimeoutMs = BROWSER_REPLICA_READY_MS): ReplicaPoolOpener {
  return (replicas, init) => {
    const endpoints = Array.from({ length: replicas }, () => {
      const worker = startWorker();
      return {
        send: (request: ReplicaRequest) => worker.postMessage(request),
        listen(received: (m: ReplicaMessage) => void, failed: (e: Error) => void) {
          worker.addEventListener('message', (e) => received(e.data as ReplicaMessage));
          worker.addEventListener('error', (e) => failed(new Error(e.message || 'a replica worker failed to load')));
          worker.addEventListener('messageerror', () => failed(new Error('a replica worker sent a message that could not be read')));
          const start: BrowserReplicaInit<Extra> = { type: 'init', init, extra };
          worker.postMessage(start);
        },
        terminate: async () => worker.terminate(),
      };
    });
    return poolOfReplicas(endpoints, { where: 'a Web Worker', readyTimeoutMs });
  };
}

/** Lets fits in this (browser) thread train data-parallel on Web Workers started by `startWorker`. */
export function useBrowserTrainingWorkers<Extra>(startWorker: () => WebWorkerLike, extra: Extra, readyTimeoutMs?: number): void {
  registerReplicaPoolOpener(browserReplicaPoolOpener(startWorker, extra, readyTimeoutMs));
}

/**
 * The replica side, for a worker's entry module: waits for the init message, then serves step and inference requests.
 * `runtime(extra)` gives how to set up tfjs and find the definition there.
 */
export function serveBrowserReplica<Extra>(scope: WorkerScopeLike, runtime: (extra: Extra) => ReplicaRuntime): void {
  const listeners: ((request: ReplicaRequest) => void)[] = [];
  let started = false;
  scope.addEventListener('message', (event) => {
    const message = event.data as BrowserReplicaInit<Extra> | ReplicaRequest;
    if (message.type === 'init') {
      if (started) return;
      started = true;
      const port = { post: (m: ReplicaMessage, transfer: ArrayBuffer[] = []) => scope.postMessage(m, transfer), onRequest: (l: (r: ReplicaRequest) => void) => void listeners.push(l) };
      void serveReplica(message.init, port, runtime(message.extra));
    } else for (const l of listeners) l(message);
  });
}
