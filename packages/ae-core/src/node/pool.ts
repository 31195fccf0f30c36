import { Worker as NodeWorkerClass } from 'node:worker_threads';
import type { ReplicaPool } from '../parallel/pools.js';
import type { ReplicaInit, ReplicaMessage } from '../parallel/replica.js';
import { poolOfReplicas, type ReplicaEndpoint } from '../parallel/replica-pool.js';

interface NodeWorker {
  postMessage(message: unknown, transfer?: readonly ArrayBuffer[]): void;
  on(event: 'message', listener: (m: ReplicaMessage) => void): void;
  on(event: 'error', listener: (e: Error) => void): void;
  on(event: 'exit', listener: (code: number) => void): void;
  terminate(): Promise<number>;
  ref(): void;
  unref(): void;
}

/** True where worker_threads exist (Node); the browser's Web Workers are not wired here. */
export function canStartReplicas(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

/**
 * Starts `replicas` worker threads, each rebuilding the model from `init`. Rejects (plain Error, the reason
 * in one line) when a replica cannot be built, after stopping the threads already started. An idle worker
 * never keeps the process alive (a fitted model's inference pool may outlive its last use): each is
 * ref'd only while it is starting or has a request in hand.
 */
export async function openReplicaPool(replicas: number, init: ReplicaInit): Promise<ReplicaPool> {
  if (!canStartReplicas()) throw new Error('worker threads are only available in Node');
  const Worker = NodeWorkerClass as unknown as new (url: URL, options: object) => NodeWorker;
  const execArgv = workerExecArgv((globalThis as unknown as { process: { execArgv: string[] } }).process.execArgv);
  const endpoints = Array.from({ length: replicas }, (): ReplicaEndpoint => {
    const worker = new Worker(workerUrl(), { workerData: init, execArgv });
    let inHand = 0;
    return {
      send(request) {
        if (inHand++ === 0) worker.ref();
        worker.postMessage(request);
      },
      listen(received, failed) {
        worker.on('message', (m) => {
          const answered = m.type === 'result' || m.type === 'output' || (m.type === 'error' && m.id !== undefined);
          if (answered) inHand--;
          if ((answered || m.type === 'ready') && inHand === 0) worker.unref();
          received(m);
        });
        worker.on('error', failed);
        worker.on('exit', (code) => failed(new Error(`a replica worker exited with code ${code}`)));
      },
      terminate: () => worker.terminate(),
    };
  });
  return poolOfReplicas(endpoints, { where: 'a worker thread' });
}

/**
 * The parent's node flags that a worker accepts and needs: module loading (--import, --require, loaders,
 * export conditions) and warnings. Workers refuse process-wide and V8 flags (--expose-gc, heap sizes), and
 * a `source` export condition (test runners) would point the built worker at .ts files.
 */
export function workerExecArgv(parent: readonly string[]): string[] {
  const withValue = ['--import', '--require', '-r', '--loader', '--experimental-loader', '--conditions', '-C'];
  const out: string[] = [];
  for (let i = 0; i < parent.length; i++) {
    const f = parent[i]!;
    const name = f.split('=')[0]!;
    const inline = f.includes('=');
    const value = inline ? f.slice(name.length + 1) : parent[i + 1];
    if (withValue.includes(name)) {
      if (!inline) i++;
      const isSource = (name === '--conditions' || name === '-C') && value === 'source';
      const long = name === '-C' ? '--conditions' : name === '-r' ? '--require' : name;
      if (!isSource && value !== undefined) out.push(`${long}=${value}`);
    } else if (name === '--no-warnings' || name === '--enable-source-maps' || name === '--no-deprecation') {
      out.push(f);
    }
  }
  return out;
}

/** The built worker script (a test running the .ts sources uses the package's dist, as pca's workers do). */
function workerUrl(): URL {
  const here = import.meta.url;
  // Non-literal paths: bundlers turn `new URL('literal', import.meta.url)` into browser assets.
  const script = here.endsWith('.ts') ? WORKER_SCRIPT_FROM_SOURCE : WORKER_SCRIPT;
  return new URL(script, here);
}
const WORKER_SCRIPT = ['.', 'gradient-worker.js'].join('/');
const WORKER_SCRIPT_FROM_SOURCE = ['..', '..', 'dist', 'node', 'gradient-worker.js'].join('/');
