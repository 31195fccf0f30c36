import { MessageChannel, type MessagePort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createRng, type ProgressEvent } from '@latentkit/core';
import { lowRankMatrix } from './__fixtures__/tiny.js';
// @ts-expect-error: a plain-JS fixture (worker threads import it without TypeScript)
import { smallDefinition } from './__fixtures__/replica-definitions.mjs';
import { setupBackend } from './backend.js';
import { browserReplicaPoolOpener, serveBrowserReplica, useBrowserTrainingWorkers, type WebWorkerLike } from './browser-workers.js';
import { ParamStore, type Architecture } from './network.js';
import { openReplicaPool } from './node/pool.js';
import { flatLayout } from './parallel/parallel-step.js';
import { registerReplicaPoolOpener } from './parallel/pools.js';
import { definitionFrom } from './parallel/replica-host.js';
import type { ReplicaSource } from './parallel/replica.js';
import { trainingOptions } from './options.js';
import { AutoencoderReducer, reconstructionModel } from './reducer.js';
import { trainModel, type TrainSettings } from './train.js';

const FIXTURES = new URL('./__fixtures__/replica-definitions.mjs', import.meta.url).href;
const context = { kind: 'small-replica-ae', inputShape: [8], latentDim: 2, options: {} };
const replica: ReplicaSource = { module: FIXTURES, exportName: 'smallDefinition', context };
const x = lowRankMatrix(96, 8, 2);
const settings: TrainSettings = { epochs: 3, batchSize: 16, learningRate: 0.01, lrSchedule: 'constant', validationSplit: 0, patience: 0, seed: 7 };

function smallModel() {
  const arch = (smallDefinition as { build: (c: typeof context) => Architecture }).build(context);
  return reconstructionModel(arch, ParamStore.initialise(arch.params, createRng(3)));
}

/** Wraps a MessagePort as the browser API the code is written against (events carry `data`). */
function asEventTarget(port: MessagePort) {
  return {
    postMessage: (m: unknown, transfer?: Transferable[]) => port.postMessage(m, transfer as never),
    addEventListener: (type: string, listener: (e: { data?: unknown }) => void) => {
      if (type === 'message') port.on('message', (data: unknown) => listener({ data }));
    },
  };
}

/**
 * A "Web Worker" whose replica runs on this thread over a real MessageChannel (structured clone and
 * transfers as between workers): what a browser's worker would run, minus the thread.
 */
function inProcessWorker(started: { terminated: number }): WebWorkerLike {
  const { port1, port2 } = new MessageChannel();
  serveBrowserReplica(asEventTarget(port2), (extra: { tag: string }) => ({
    prepareBackend: async () => expect(extra.tag).toBe('extra reaches the replica'),
    loadDefinition: async (source) => definitionFrom((await import(source.module)) as Record<string, unknown>, source),
  }));
  const page = asEventTarget(port1);
  return {
    postMessage: page.postMessage,
    addEventListener: page.addEventListener,
    terminate: () => {
      started.terminated++;
      port1.close();
    },
  };
}

describe('data-parallel training on (browser) Web Workers', () => {
  it('trains like the worker-thread pool, bit for bit, through the same replica protocol', async () => {
    await setupBackend('wasm');
    const count = { terminated: 0 };
    // In-process replicas keep their variables on this thread, so only the worker-thread fit counts tensors.
    const fit = async (countTensors: boolean) => {
      const model = smallModel();
      const before = tf.memory().numTensors;
      const events: ProgressEvent[] = [];
      const r = await trainModel(model, x, { ...settings, workers: 3 }, { replica, onProgress: (e) => events.push(e) });
      expect(events.filter((e) => e.phase === 'workers')).toEqual([]);
      if (countTensors) expect(tf.memory().numTensors).toBe(before);
      const w = model.store.snapshot();
      model.store.dispose();
      return { w, r };
    };
    registerReplicaPoolOpener(openReplicaPool);
    const threads = await fit(true);
    useBrowserTrainingWorkers(() => inProcessWorker(count), { tag: 'extra reaches the replica' });
    try {
      const browser = await fit(false);
      expect(browser.r.threads).toBe(3);
      expect(count.terminated).toBe(2);
      expect(browser.r.history[2]!.loss).toBeLessThan(browser.r.history[0]!.loss);
      for (const [k, v] of threads.w) expect(Array.from(browser.w.get(k)!)).toEqual(Array.from(v));
    } finally {
      registerReplicaPoolOpener(undefined);
    }
  }, 60_000);

  it('encodes and decodes on the same Web Worker replicas, equal to one thread bit for bit', async () => {
    await setupBackend('wasm');
    const count = { terminated: 0 };
    const arch = (smallDefinition as { build: (c: typeof context) => Architecture }).build(context);
    const options = trainingOptions.parse({});
    const model = new AutoencoderReducer({ ...context, options, architecture: arch, store: ParamStore.initialise(arch.params, createRng(4)), seed: 4, history: [], replica: { module: FIXTURES, exportName: 'smallDefinition' } });
    const rows = lowRankMatrix(1600, 8, 2);
    const one = await model.encode(rows);
    const oneBack = await model.decode(one);
    useBrowserTrainingWorkers(() => inProcessWorker(count), { tag: 'extra reaches the replica' });
    try {
      model.inferenceThreads = 3;
      const three = await model.encode(rows);
      expect(model.inferenceReport).toEqual({ threads: 3 });
      expect(Array.from(three.data)).toEqual(Array.from(one.data));
      expect(Array.from((await model.decode(one)).data)).toEqual(Array.from(oneBack.data));
      expect(Math.max(...Array.from(one.data, Math.abs))).toBeGreaterThan(0.01);
      model.dispose();
      await expect.poll(() => count.terminated).toBe(2);
    } finally {
      registerReplicaPoolOpener(undefined);
    }
  }, 60_000);

  it('rejects in one line, and stops every worker, when a replica cannot start', async () => {
    const layout = flatLayout(smallModel().store);
    const count = { terminated: 0 };
    const missing = browserReplicaPoolOpener(() => inProcessWorker(count), { tag: 'extra reaches the replica' });
    await expect(missing(2, { source: { ...replica, exportName: 'nope' }, layout })).rejects.toThrow(`${FIXTURES} has no autoencoder definition "nope"`);
    expect(count.terminated).toBe(2);
    // A script that fails to load fires 'error' on the Worker object.
    let terminated = 0;
    const broken: WebWorkerLike = {
      postMessage: () => {},
      addEventListener: (type, listener) => {
        if (type === 'error') setTimeout(() => listener({ message: 'SyntaxError: Unexpected token' }), 1);
      },
      terminate: () => void terminated++,
    };
    await expect(browserReplicaPoolOpener(() => broken, null)(1, { source: replica, layout })).rejects.toThrow('SyntaxError: Unexpected token');
    expect(terminated).toBe(1);
    // A worker that never answers is given up on.
    const silent: WebWorkerLike = { postMessage: () => {}, addEventListener: () => {}, terminate: () => {} };
    await expect(browserReplicaPoolOpener(() => silent, null, 20)(1, { source: replica, layout })).rejects.toThrow('the replicas were not ready after 20 ms');
  });
});
