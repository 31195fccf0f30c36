import type { ReplicaInit, ShardRequest, ShardResult } from './replica.js';

/** One replica's work for a step: the weights (concatenated per the pool's layout) and its rows. */
export type ShardWork = Omit<ShardRequest, 'type' | 'id'>;

/** Worker-thread replicas of a model; request k of each step goes to replica k. */
export interface ReplicaPool {
  readonly replicas: number;
  run(work: readonly ShardWork[]): Promise<ShardResult[]>;
  close(): Promise<void>;
}

/** Starts `replicas` threads each rebuilding the model from `init`; rejects with the reason in one line. */
export type ReplicaPoolOpener = (replicas: number, init: ReplicaInit) => Promise<ReplicaPool>;

/**
 * How this runtime starts replicas: nothing by default (this entry is browser-safe), Node's worker threads once
 * `useTrainingWorkers()` from '@latentkit/ae-core/node' has run — as pca's covariance workers are opted into.
 */
let opener: ReplicaPoolOpener | undefined;

export function registerReplicaPoolOpener(open: ReplicaPoolOpener | undefined): void {
  opener = open;
}

export function replicaPoolOpener(): ReplicaPoolOpener | undefined {
  return opener;
}
