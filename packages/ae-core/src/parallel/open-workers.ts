import { LatentkitError, type ProgressListener } from '@latentkit/core';
import type { ParamStore } from '../network.js';
import { flatLayout } from './parallel-step.js';
import { replicaPoolOpener, type ReplicaPool } from './pools.js';
import type { ReplicaSource } from './replica.js';

/**
 * The worker-thread replicas for `workers` threads (this one included), or undefined for one thread.
 * The work (`purpose`: training, inference) still goes ahead on this thread when replicas cannot be had
 * (no replica source, no worker threads, or the model cannot be rebuilt in one); that is said in one
 * progress line.
 */
export async function openWorkers(
  workers: number,
  replica: ReplicaSource | undefined,
  store: ParamStore,
  onProgress?: ProgressListener,
  purpose = 'training',
): Promise<ReplicaPool | undefined> {
  if (!Number.isInteger(workers) || workers < 1) throw new LatentkitError('E_OPTION', `workers must be an integer ≥ 1, got ${String(workers)}`);
  if (workers === 1) return undefined;
  const fallBack = (why: string): undefined => {
    onProgress?.({ phase: 'workers', fraction: 0, message: `${purpose} on 1 thread instead of ${workers}: ${why}` });
    return undefined;
  };
  if (!replica) return fallBack('this model cannot be rebuilt in a worker thread');
  const open = replicaPoolOpener();
  if (!open) return fallBack("worker threads are not enabled here (in Node: useTrainingWorkers() from '@latentkit/ae-core/node')");
  try {
    return await open(workers - 1, { source: replica, layout: flatLayout(store) });
  } catch (e) {
    return fallBack(`a worker could not rebuild the model (${(e as Error).message.split('\n')[0]})`);
  }
}
