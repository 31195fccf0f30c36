import { LatentkitError } from '@latentkit/core';
import type { ReplicaPool } from './pools.js';
import type { ReplicaMessage, ShardRequest, ShardResult } from './replica.js';

/** One started replica as the pool sees it, whatever carries its messages (a worker thread, a Web Worker). */
export interface ReplicaEndpoint {
  send(request: ShardRequest): void;
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

/**
 * A pool over started replicas: waits until each says 'ready' (rejecting with the first one's reason, in one
 * line, after terminating them all), then sends request k of each step to replica k.
 */
export async function poolOfReplicas(endpoints: readonly ReplicaEndpoint[], settings: PoolSettings): Promise<ReplicaPool> {
  const pending = new Map<number, { resolve: (r: ShardResult) => void; reject: (e: Error) => void }>();
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
            } else if (m.type === 'result') {
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
  return {
    replicas: endpoints.length,
    run(work) {
      if (failure) return Promise.reject(failure);
      return Promise.all(
        work.map(
          (w, k) =>
            new Promise<ShardResult>((resolve, reject) => {
              const id = nextId++;
              pending.set(id, { resolve, reject });
              endpoints[k]!.send({ type: 'step', id, ...w });
            }),
        ),
      ).catch((e: Error) => {
        throw new LatentkitError('E_BACKEND', `data-parallel training failed in ${settings.where}: ${e.message}`, { cause: e });
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      // Exits during close are expected: stop treating them as failures of pending work.
      failure ??= new Error('the worker pool was closed');
      await Promise.all(endpoints.map((w) => w.terminate()));
    },
  };
}
