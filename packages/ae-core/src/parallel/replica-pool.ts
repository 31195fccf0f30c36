import { LatentkitError } from '@latentkit/core';
import type { ReplicaPool } from './pools.js';
import type { ReplicaMessage, ReplicaRequest, ShardResult } from './replica.js';

/** One started replica as the pool sees it, whatever carries its messages (a worker thread, a Web Worker). */
export interface ReplicaEndpoint {
  send(request: ReplicaRequest): void;
  /** `failed` is called when the replica dies or cannot start (a load error, an exit). */
  listen(received: (message: ReplicaMessage) => void, failed: (error: Error) => void): void;
  terminate(): Promise<unknown>;
}

export interface PoolSettings {
  /** Named in the error when a step fails, e.g. "a worker thread". */
  readonly where: string;
  /** Give up on replicas not ready by then (ms); none by default. */
  readonly readyTimeoutMs?: number;
}

type Answer = Extract<ReplicaMessage, { type: 'result' | 'output' }>;

/**
 * A pool over started replicas: waits until each says 'ready' (rejecting with the first one's reason, in one
 * line, after terminating them all), then sends request k of each step (or inference call) to replica k.
 */
export async function poolOfReplicas(endpoints: readonly ReplicaEndpoint[], settings: PoolSettings): Promise<ReplicaPool> {
  const pending = new Map<number, { resolve: (r: Answer) => void; reject: (e: Error) => void }>();
  let failure: Error | undefined;
  const fail = (e: Error) => {
    failure ??= e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  const ready = endpoints.map(
    (endpoint) =>
      new Promise<void>((resolve, reject) => {
        let started = false;
        endpoint.listen(
          (m) => {
            if (m.type === 'ready') {
              started = true;
              resolve();
            } else if (m.type === 'result' || m.type === 'output') {
              pending.get(m.id)?.resolve(m);
              pending.delete(m.id);
            } else if (!started) reject(new Error(m.message));
            else fail(new Error(m.message));
          },
          (e) => (started ? fail(e) : reject(e)),
        );
      }),
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout =
    settings.readyTimeoutMs === undefined
      ? []
      : [new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`the replicas were not ready after ${settings.readyTimeoutMs} ms`)), settings.readyTimeoutMs)))];
  try {
    await Promise.race([Promise.all(ready), ...timeout]);
  } catch (e) {
    await Promise.all(endpoints.map((w) => w.terminate()));
    throw e;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
  let nextId = 0;
  let closed = false;
  // Request k goes to replica k; answers come back in request order, or the first failure in one line.
  const send = (requests: readonly ((id: number) => ReplicaRequest)[], what: string): Promise<Answer[]> => {
    if (failure) return Promise.reject(failure);
    if (requests.length > endpoints.length) return Promise.reject(new Error(`${requests.length} requests for ${endpoints.length} replicas`));
    return Promise.all(
      requests.map(
        (request, k) =>
          new Promise<Answer>((resolve, reject) => {
            const id = nextId++;
            pending.set(id, { resolve, reject });
            endpoints[k]!.send(request(id));
          }),
      ),
    ).catch((e: Error) => {
      throw new LatentkitError('E_BACKEND', `${what} failed in ${settings.where}: ${e.message}`, { cause: e });
    });
  };
  return {
    replicas: endpoints.length,
    run: async (work) => (await send(work.map((w) => (id) => ({ type: 'step', id, ...w })), 'data-parallel training')) as ShardResult[],
    apply: async (work) =>
      (await send(work.map((w) => (id) => ({ type: 'apply', id, ...w })), 'parallel inference')).map((a) => (a as Extract<Answer, { type: 'output' }>).y),
    async close() {
      if (closed) return;
      closed = true;
      // Exits during close are expected: stop treating them as failures of pending work.
      failure ??= new Error('the worker pool was closed');
      await Promise.all(endpoints.map((w) => w.terminate()));
    },
  };
}
