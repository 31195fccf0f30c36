import * as tf from '@tensorflow/tfjs';
import type { Matrix } from '@latentkit/core';
import type { FusedAdam } from '../fused-adam.js';
import type { ParamStore } from '../network.js';
import type { TrainableModel } from '../train.js';
import type { ReplicaPool } from './pools.js';
import type { FlatLayout, ShardResult } from './replica.js';
import { combineShards, gatherRows, splitShards } from './shards.js';
import { shardGradients } from './shard-step.js';
import { mixSeed } from '../step-seed.js';

/** The order and sizes in which weights travel to replicas. */
export function flatLayout(store: ParamStore): FlatLayout {
  return {
    names: store.specs.map((s) => s.name),
    sizes: store.specs.map((s) => s.shape.reduce((a, b) => a * b, 1)),
    trainable: store.specs.map((s) => s.trainable !== false),
  };
}

/** Every weight's current values, concatenated in spec order. */
export function flatWeights(store: ParamStore): Float32Array {
  const parts = store.specs.map((s) => store.vars[s.name]!.dataSync() as Float32Array);
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** The batch's loss, gradients (trainable weights, concatenated) and state updates, reduced over shards. */
export interface BatchGradients {
  readonly loss: number;
  readonly grads: Float32Array;
  readonly state: ReadonlyMap<string, Float32Array>;
}

/**
 * Gradients of one batch split over this thread (shard 0) and the pool's replicas (shards 1…): the batch
 * is cut into contiguous shards, each replica gets the current weights and its rows, and the shard means
 * are reduced in shard order weighted by shard size: the same batch and worker count always give the same
 * numbers. For a loss that is a mean over rows this equals the whole batch's gradient up to rounding.
 */
export async function parallelGradients(model: TrainableModel, pool: ReplicaPool, x: Matrix, rows: Int32Array, weights: Float32Array, seed?: number): Promise<BatchGradients> {
  const shards = splitShards(rows, pool.replicas + 1).filter((s) => s.length > 0);
  // Replicas start on their shards (postMessage copies the weights now) while this thread computes shard 0.
  // Each shard draws its own noise from (step seed, shard index).
  const shardSeed = (k: number) => (seed === undefined ? undefined : mixSeed(seed, k));
  const remote = pool.run(shards.slice(1).map((s, k) => ({ weights, x: gatherRows(x.data, x.cols, s), rows: s.length, ...(seed !== undefined ? { seed: shardSeed(k + 1) } : {}) })));
  const local = shardGradients(model, model.store.trainable, gatherRows(x.data, x.cols, shards[0]!), shards[0]!.length, x.cols, shardSeed(0));
  const results: ShardResult[] = [local, ...(await remote)];
  const weightOf = (k: number) => shards[k]!.length;
  const grads = combineShards(
    results.map((r, k) => ({ weight: weightOf(k), values: r.grads })),
    local.grads.length,
  );
  let loss = 0;
  for (let k = 0; k < results.length; k++) loss += results[k]!.loss * (weightOf(k) / rows.length);
  const state = new Map<string, Float32Array>();
  for (const [name, first] of local.state) {
    const parts = results.map((r, k) => ({ weight: weightOf(k), values: r.state.find(([n]) => n === name)?.[1] ?? first }));
    state.set(name, combineShards(parts, first.length));
  }
  return { loss, grads, state };
}

/**
 * One data-parallel training step: reduce the shards' gradients, apply Adam to the trainable weights on
 * this thread, write them (and the averaged state updates) back. Returns the batch loss.
 */
export async function parallelTrainStep(model: TrainableModel, optimizer: FusedAdam, pool: ReplicaPool, x: Matrix, rows: Int32Array, seed?: number): Promise<number> {
  const store = model.store;
  const weights = flatWeights(store);
  const { loss, grads, state } = await parallelGradients(model, pool, x, rows, weights, seed);
  const trainableWeights: Float32Array[] = [];
  const trainableGrads: Float32Array[] = [];
  const views = new Map<string, Float32Array>();
  let offset = 0;
  let gradOffset = 0;
  for (const s of store.specs) {
    const size = s.shape.reduce((a, b) => a * b, 1);
    const view = weights.subarray(offset, offset + size);
    offset += size;
    if (s.trainable === false) continue;
    views.set(s.name, view);
    trainableWeights.push(view);
    trainableGrads.push(grads.subarray(gradOffset, gradOffset + size));
    gradOffset += size;
  }
  if (!Number.isFinite(loss)) return loss;
  optimizer.applyFlat(trainableWeights, trainableGrads);
  for (const s of store.specs) {
    const values = views.get(s.name) ?? state.get(s.name);
    if (values) tf.tidy(() => store.vars[s.name]!.assign(tf.tensor(values, [...s.shape], 'float32')));
  }
  return loss;
}
