import type { ApplyRequest, ReplicaInit, ShardRequest, ShardResult } from './replica.js';

/** One replica's work for a step: the weights (concatenated per the pool's layout) and its rows. */
export type ShardWork = Omit<ShardRequest, 'type' | 'id'>;

/** One replica's part of an encode or decode: its rows, and the weights when it does not have them yet. */
export type ApplyWork = Omit<ApplyRequest, 'type' | 'id'>;

/** Worker-thread replicas of a model; request k of each step (or inference call) goes to replica k. */
export interface ReplicaPool {
  readonly replicas: number;
  run(work: readonly ShardWork[]): Promise<ShardResult[]>;
  /** The encoder or decoder applied to each replica's rows (at most `replicas` requests); outputs in request order. */
  apply(work: readonly ApplyWork[]): Promise<Float32Array[]>;
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

/** A running GEMM team (see startGemmTeam in '@latentkit/tfjs-wasm-train/node'). */
export interface GemmTeamLease {
  stop(): Promise<void>;
}

/** Starts a helper thread that shares the large matrix products of `backend` (tfjs's active one); undefined where it cannot. */
export type GemmTeamStarter = (backend: unknown) => Promise<GemmTeamLease | undefined>;

let teamStarter: GemmTeamStarter | undefined;

/**
 * How a fit that trains on one thread although more were asked for (usefulWorkers declined the split) still
 * uses a second core: nothing by default, Node's GEMM team once `useTrainingWorkers()` has run.
 */
export function registerGemmTeamStarter(start: GemmTeamStarter | undefined): void {
  teamStarter = start;
}

export function gemmTeamStarter(): GemmTeamStarter | undefined {
  return teamStarter;
}
