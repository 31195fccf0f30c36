import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createRng, type ProgressEvent } from '@latentkit/core';
import { lowRankMatrix } from '../__fixtures__/tiny.js';
// @ts-expect-error: a plain-JS fixture (worker threads import it without TypeScript)
import { runningMeanDefinition, smallDefinition } from '../__fixtures__/replica-definitions.mjs';
import { ParamStore, type Architecture, type WeightValues } from '../network.js';
import { reconstructionModel } from '../reducer.js';
import { setupBackend } from '../backend.js';
import { trainModel, type TrainSettings } from '../train.js';
import type { TrainState } from '../train-state.js';
import { flatLayout, flatWeights, parallelGradients } from './parallel-step.js';
import { openReplicaPool, workerExecArgv } from '../node/pool.js';
import { useTrainingWorkers } from '../node.js';
import { registerReplicaPoolOpener } from './pools.js';
import { builtModule, type ReplicaSource } from './replica.js';
import { combineShards, splitShards } from './shards.js';

const FIXTURES = new URL('../__fixtures__/replica-definitions.mjs', import.meta.url).href;
const context = { kind: 'small-replica-ae', inputShape: [8], latentDim: 2, options: {} };
const replica: ReplicaSource = { module: FIXTURES, exportName: 'smallDefinition', context };
const x = lowRankMatrix(96, 8, 2);
const settings: TrainSettings = { epochs: 3, batchSize: 16, learningRate: 0.01, lrSchedule: 'constant', validationSplit: 0, patience: 0, seed: 7 };

// Node apps opt in to worker threads (the CLI does at start); the package's main entry stays browser-safe.
useTrainingWorkers();

function smallModel(seed = 3) {
  const arch = (smallDefinition as { build: (c: typeof context) => Architecture }).build(context);
  return reconstructionModel(arch, ParamStore.initialise(arch.params, createRng(seed)));
}

function same(a: WeightValues, b: WeightValues): void {
  expect([...a.keys()]).toEqual([...b.keys()]);
  for (const [k, v] of a) expect(Array.from(b.get(k)!)).toEqual(Array.from(v));
}

describe('worker flags', () => {
  it('keeps module-loading flags and drops the source condition and flags workers refuse', () => {
    expect(workerExecArgv(['--conditions', 'source', '--expose-gc', '--conditions=source', '-C', 'node', '--input-type=module', '--import', 'hooks.mjs', '--max-old-space-size=4096', '--no-warnings'])).toEqual([
      '--conditions=node',
      '--import=hooks.mjs',
      '--no-warnings',
    ]);
  });
});

describe('replica modules', () => {
  it('maps a package source file to its built file and leaves other specifiers alone', () => {
    expect(builtModule('file:///r/packages/dense-ae/src/plugin.ts')).toBe('file:///r/packages/dense-ae/dist/plugin.js');
    expect(builtModule('file:///r/packages/dense-ae/dist/plugin.js')).toBe('file:///r/packages/dense-ae/dist/plugin.js');
    expect(builtModule('@acme/ae')).toBe('@acme/ae');
  });
});

describe('shards', () => {
  it('splits a batch into contiguous shards differing by at most one row', () => {
    const rows = Int32Array.from({ length: 10 }, (_, i) => 100 + i);
    expect(splitShards(rows, 3).map((s) => Array.from(s))).toEqual([[100, 101, 102, 103], [104, 105, 106], [107, 108, 109]]);
    expect(splitShards(rows.subarray(0, 1), 2).map((s) => s.length)).toEqual([1, 0]);
  });

  it('reduces shard values weighted by shard size, skipping empty shards', () => {
    const out = combineShards([{ weight: 3, values: Float32Array.of(1, 2) }, { weight: 1, values: Float32Array.of(5, 6) }, { weight: 0, values: Float32Array.of(NaN, NaN) }], 2);
    expect(Array.from(out)).toEqual([2, 3]);
  });
});

describe('data-parallel training on worker threads', () => {
  it('gives the single-thread gradient of the same batch to 1e-5 with 2 and 3 threads', async () => {
    await setupBackend('wasm');
    const model = smallModel();
    const rows = Int32Array.from({ length: 29 }, (_, i) => (i * 7) % 96);
    const ctx = { training: true, setState: () => {} };
    const reference = tf.tidy(() => {
      const xb = tf.tensor2d(rows.length ? Array.from(rows).flatMap((r) => Array.from(x.data.subarray(r * 8, r * 8 + 8))) : [], [rows.length, 8]);
      const { value, grads } = tf.variableGrads(() => model.loss(xb, ctx), model.store.trainable);
      return { loss: value.dataSync()[0]!, grads: model.store.trainable.flatMap((v) => Array.from(grads[v.name]!.dataSync())) };
    });
    for (const replicas of [1, 2]) {
      const pool = await openReplicaPool(replicas, { source: replica, layout: flatLayout(model.store) });
      try {
        const got = await parallelGradients(model, pool, x, rows, flatWeights(model.store));
        expect(got.grads.length).toBe(reference.grads.length);
        expect(Math.max(...reference.grads.map(Math.abs))).toBeGreaterThan(1e-3);
        for (let i = 0; i < reference.grads.length; i++) expect(Math.abs(got.grads[i]! - reference.grads[i]!)).toBeLessThan(1e-5);
        expect(Math.abs(got.loss - reference.loss)).toBeLessThan(1e-5);
      } finally {
        await pool.close();
      }
    }
    model.store.dispose();
  }, 120_000);

  it('is bit-identical for the same seed and worker count, lowers the loss and leaks no tensors', async () => {
    const run = async () => {
      const model = smallModel();
      const before = tf.memory().numTensors;
      const counts: number[] = [];
      const events: ProgressEvent[] = [];
      const r = await trainModel(model, x, { ...settings, workers: 2 }, { replica, onEpochEnd: () => counts.push(tf.memory().numTensors), onProgress: (e) => events.push(e) });
      // No fallback line: the worker really trained.
      expect(events.filter((e) => e.phase === 'workers')).toEqual([]);
      expect(new Set(counts).size).toBe(1);
      expect(tf.memory().numTensors).toBe(before);
      const w = model.store.snapshot();
      model.store.dispose();
      return { w, r };
    };
    const a = await run();
    const b = await run();
    same(a.w, b.w);
    expect(a.r.history[2]!.loss).toBeLessThan(a.r.history[0]!.loss);
    expect(a.r.threads).toBe(2);
    // Two threads see the same batches as one but reduce them in shards: close, not equal.
    const single = smallModel();
    await trainModel(single, x, settings);
    const one = single.store.snapshot();
    single.store.dispose();
    const k = 'enc.0.kernel';
    expect(Array.from(one.get(k)!)).not.toEqual(Array.from(a.w.get(k)!));
    for (let i = 0; i < one.get(k)!.length; i++) expect(Math.abs(one.get(k)![i]! - a.w.get(k)![i]!)).toBeLessThan(1e-3);
  }, 120_000);

  it('reduces state updates (running statistics) over shards like the whole batch would', async () => {
    const build = (runningMeanDefinition as { build: (c: typeof context) => Architecture }).build;
    const run = async (workers: number) => {
      const arch = build(context);
      const model = reconstructionModel(arch, ParamStore.initialise(arch.params, createRng(3)));
      await trainModel(model, x, { ...settings, epochs: 1, workers }, { replica: { ...replica, exportName: 'runningMeanDefinition' } });
      const mean = model.store.snapshot().get('input.mean')!;
      model.store.dispose();
      return mean;
    };
    const one = await run(1);
    const two = await run(2);
    // The state moved away from its zero start, and an update linear in the rows' mean matches across N.
    expect(Math.max(...one.map(Math.abs))).toBeGreaterThan(0.1);
    for (let i = 0; i < one.length; i++) expect(Math.abs(one[i]! - two[i]!)).toBeLessThan(1e-5);
  }, 120_000);

  it('resumes a checkpoint bit for bit with workers', async () => {
    const states: TrainState[] = [];
    const events: ProgressEvent[] = [];
    const straight = smallModel();
    await trainModel(straight, x, { ...settings, workers: 2 }, { replica, onCheckpoint: (s) => void states.push(s), onProgress: (e) => events.push(e) });
    expect(events.filter((e) => e.phase === 'workers')).toEqual([]);
    const expected = straight.store.snapshot();
    straight.store.dispose();
    const resumed = smallModel();
    await trainModel(resumed, x, { ...settings, workers: 2 }, { replica, resumeFrom: states[0]! });
    same(expected, resumed.store.snapshot());
    resumed.store.dispose();
  }, 120_000);

  it('stops on an abort signal between batches and closes its workers', async () => {
    const model = smallModel();
    const controller = new AbortController();
    let batches = 0;
    const run = trainModel(model, x, { ...settings, workers: 2 }, {
      replica,
      signal: controller.signal,
      onProgress: (e) => {
        if (e.batch !== undefined && ++batches === 2) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'E_ABORTED' });
    expect(batches).toBe(2);
    model.store.dispose();
  }, 120_000);

  it('falls back to this thread with one progress line when a worker cannot rebuild the model', async () => {
    const events: ProgressEvent[] = [];
    const fallback = smallModel();
    const fb = await trainModel(fallback, x, { ...settings, workers: 2 }, { replica: { ...replica, exportName: 'workerHostileDefinition' }, onProgress: (e) => events.push(e) });
    expect(fb.threads).toBe(1);
    const lines = events.filter((e) => e.phase === 'workers');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.message).toMatch(/^training on 1 thread instead of 2: a worker could not rebuild the model \(this architecture needs the main thread\)$/);
    const single = smallModel();
    await trainModel(single, x, settings);
    same(single.store.snapshot(), fallback.store.snapshot());
    const noReplica: ProgressEvent[] = [];
    await trainModel(single, x, { ...settings, epochs: 1, workers: 2 }, { onProgress: (e) => noReplica.push(e) });
    expect(noReplica.filter((e) => e.phase === 'workers').map((e) => e.message)).toEqual(['training on 1 thread instead of 2: this model cannot be rebuilt in a worker thread']);
    await expect(trainModel(single, x, { ...settings, workers: 0 })).rejects.toMatchObject({ code: 'E_OPTION', message: 'workers must be an integer ≥ 1, got 0' });
    // Without the Node opt-in (a browser, or an app that did not call useTrainingWorkers) it says how to enable it.
    registerReplicaPoolOpener(undefined);
    const notEnabled: ProgressEvent[] = [];
    try {
      await trainModel(single, x, { ...settings, epochs: 1, workers: 2 }, { replica, onProgress: (e) => notEnabled.push(e) });
    } finally {
      useTrainingWorkers();
    }
    expect(notEnabled.filter((e) => e.phase === 'workers').map((e) => e.message)).toEqual([
      "training on 1 thread instead of 2: worker threads are not enabled here (in Node: useTrainingWorkers() from '@latentkit/ae-core/node')",
    ]);
    fallback.store.dispose();
    single.store.dispose();
  }, 120_000);
});
