import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createRng, type Matrix } from '@latentkit/core';
// @ts-expect-error: a plain-JS fixture (worker threads import it without TypeScript)
import { smallConvDefinition, smallDefinition } from '../__fixtures__/replica-definitions.mjs';
import { setupBackend } from '../backend.js';
import { ParamStore, type Architecture } from '../network.js';
import { useTrainingWorkers } from '../node.js';
import { openReplicaPool } from '../node/pool.js';
import { trainingOptions } from '../options.js';
import { fitAutoencoder } from '../autoencoder-fit.js';
import { AutoencoderReducer, type ArchitectureContext } from '../reducer.js';
import { inferenceBlocks, PARALLEL_INFERENCE_MIN_ROWS } from './inference-threads.js';
import { registerReplicaPoolOpener, type ReplicaPool } from './pools.js';

const FIXTURES = new URL('../__fixtures__/replica-definitions.mjs', import.meta.url).href;
type Builder = { build: (c: ArchitectureContext) => Architecture };

/** A fitted-looking reducer (seeded initial weights: inference does not care whether they were trained). */
function reducer(def: Builder, exportName: string, inputShape: number[], threads: number): AutoencoderReducer {
  const context = { kind: `${exportName}-model`, inputShape, latentDim: 3, options: trainingOptions.parse({}) };
  const architecture = def.build(context);
  const store = ParamStore.initialise(architecture.params, createRng(5));
  return new AutoencoderReducer({ ...context, architecture, store, seed: 5, history: [], replica: { module: FIXTURES, exportName }, inferenceThreads: threads });
}

function rowsOf(n: number, cols: number, seed = 2): Matrix {
  const rng = createRng(seed);
  return { rows: n, cols, data: Float32Array.from({ length: n * cols }, () => rng.next()) };
}

/** Same bits, not just close: the split must not change any batch a row is computed in. */
function expectSameBits(a: Matrix, b: Matrix): void {
  expect([a.rows, a.cols]).toEqual([b.rows, b.cols]);
  expect(Array.from(new Uint32Array(a.data.buffer, a.data.byteOffset, a.data.length))).toEqual(Array.from(new Uint32Array(b.data.buffer, b.data.byteOffset, b.data.length)));
}

/** Counts pool openings and closings around the real worker-thread opener, and which calls carried weights. */
function countingOpener() {
  const counts = { opened: 0, closed: 0, weightsSent: [] as boolean[] };
  registerReplicaPoolOpener(async (replicas, init) => {
    const pool = await openReplicaPool(replicas, init);
    counts.opened++;
    return {
      ...pool,
      replicas: pool.replicas,
      apply: (work) => {
        counts.weightsSent.push(...work.map((w) => w.weights !== undefined));
        return pool.apply(work);
      },
      close: async () => {
        counts.closed++;
        await pool.close();
      },
    };
  });
  return counts;
}

afterEach(() => useTrainingWorkers());

describe('inference blocks', () => {
  it('cuts rows at batch boundaries, one contiguous block per thread, never more blocks than batches', () => {
    expect(PARALLEL_INFERENCE_MIN_ROWS).toBe(1024);
    expect(inferenceBlocks(8000, 2)).toEqual([{ start: 0, end: 4096 }, { start: 4096, end: 8000 }]);
    expect(inferenceBlocks(1100, 3)).toEqual([{ start: 0, end: 512 }, { start: 512, end: 1024 }, { start: 1024, end: 1100 }]);
    expect(inferenceBlocks(600, 4)).toEqual([{ start: 0, end: 512 }, { start: 512, end: 600 }]);
    expect(inferenceBlocks(100, 2)).toEqual([{ start: 0, end: 100 }]);
  });
});

describe('encode and decode on worker-thread replicas', () => {
  it.each([
    ['dense', smallDefinition as Builder, 'smallDefinition', [8], 1300],
    ['conv', smallConvDefinition as Builder, 'smallConvDefinition', [8, 8, 1], 1100],
  ])('gives the one-thread result bit for bit on 2 threads (%s)', async (_, def, exportName, shape, n) => {
    await setupBackend('wasm');
    const model = reducer(def, exportName, shape, 1);
    const x = rowsOf(n, model.inputDim);
    const oneCodes = await model.encode(x);
    const oneImages = await model.decode(oneCodes);
    model.inferenceThreads = 2;
    const twoCodes = await model.encode(x);
    const twoImages = await model.decode(oneCodes);
    expect(model.inferenceReport).toEqual({ threads: 2 });
    // Non-trivial outputs (the comparison could fail), different in every block.
    expect(new Set(Array.from(oneCodes.data.subarray(0, 30))).size).toBeGreaterThan(20);
    expectSameBits(twoCodes, oneCodes);
    expectSameBits(twoImages, oneImages);
    model.dispose();
  }, 60_000);

  it('opens the pool on the first large call only, reuses it, and closes it on dispose', async () => {
    await setupBackend('wasm');
    const counts = countingOpener();
    const model = reducer(smallDefinition as Builder, 'smallDefinition', [8], 2);
    const small = rowsOf(PARALLEL_INFERENCE_MIN_ROWS - 1, 8);
    await model.encode(small);
    expect(counts.opened).toBe(0);
    const x = rowsOf(2048, 8);
    const codes = await model.encode(x);
    await model.decode(codes);
    await model.encode(x);
    expect(counts).toEqual({ opened: 1, closed: 0, weightsSent: [true, false, false] });
    model.dispose();
    await expect.poll(() => counts.closed).toBe(1);
    await expect(model.encode(x)).rejects.toMatchObject({ code: 'E_NOT_FITTED', message: 'this smallDefinition-model model was disposed' });
    // A new thread count replaces the pool.
    const other = reducer(smallDefinition as Builder, 'smallDefinition', [8], 2);
    await other.encode(x);
    other.inferenceThreads = 1;
    await expect.poll(() => counts.closed).toBe(2);
    await other.encode(x);
    expect(other.inferenceReport).toEqual({ threads: 1 });
    expect(counts.opened).toBe(2);
    other.dispose();
    expect(() => (other.inferenceThreads = 0)).toThrow('smallDefinition-model inferenceThreads must be an integer ≥ 1, got 0');
  }, 60_000);

  it('infers on the replicas its fit trained on, handed over to a reducer adopting its state', async () => {
    await setupBackend('wasm');
    const counts = countingOpener();
    const definition = { ...(smallDefinition as Builder), kind: 'small-fit', description: 'fit here', options: trainingOptions, replica: { module: FIXTURES, exportName: 'smallDefinition' } };
    const x = rowsOf(1100, 8);
    const { model, result } = await fitAutoencoder(definition as never, { name: 'noise', x }, { latentDim: 2, epochs: 1, batchSize: 512, validationSplit: 0 }, { workers: 2, seed: 1 });
    expect([result.info?.threads, model.inferenceThreads]).toEqual([2, 2]);
    // The VAE's way: a new reducer takes over the fitted one's weights and replicas.
    const adopted = new AutoencoderReducer({ ...model, architecture: (smallDefinition as Builder).build({ kind: 'small-fit', inputShape: [8], latentDim: 2, options: {} }), store: model.params, ...model.handOverInference() });
    const two = await adopted.encode(x);
    expect(adopted.inferenceReport).toEqual({ threads: 2 });
    expect(counts).toMatchObject({ opened: 1, closed: 0, weightsSent: [true] });
    adopted.inferenceThreads = 1;
    expectSameBits(await adopted.encode(x), two);
    await expect.poll(() => counts.closed).toBe(1);
    adopted.dispose();
  }, 60_000);

  it('stays on this thread, equal to one thread and saying why, when replicas cannot start or fail', async () => {
    await setupBackend('wasm');
    const x = rowsOf(1100, 8);
    const reference = reducer(smallDefinition as Builder, 'smallDefinition', [8], 1);
    const expected = await reference.encode(x);
    reference.dispose();
    const check = async (model: AutoencoderReducer, note: string) => {
      expectSameBits(await model.encode(x), expected);
      expect(model.inferenceReport).toEqual({ threads: 1, note });
      model.dispose();
    };
    await check(reducer(smallDefinition as Builder, 'workerHostileDefinition', [8], 2), 'inference on 1 thread instead of 2: a worker could not rebuild the model (this architecture needs the main thread)');
    registerReplicaPoolOpener(undefined);
    await check(
      reducer(smallDefinition as Builder, 'smallDefinition', [8], 2),
      "inference on 1 thread instead of 2: worker threads are not enabled here (in Node: useTrainingWorkers() from '@latentkit/ae-core/node')",
    );
    // A replica failing mid-call: this thread computes its block; later calls do not try the pool again.
    let applied = 0;
    const failing: ReplicaPool = {
      replicas: 1,
      run: () => Promise.reject(new Error('unused')),
      apply: () => (applied++, Promise.reject(new Error('parallel inference failed in a worker thread: out of memory'))),
      close: async () => {},
    };
    registerReplicaPoolOpener(async () => failing);
    const model = reducer(smallDefinition as Builder, 'smallDefinition', [8], 2);
    expectSameBits(await model.encode(x), expected);
    await check(model, 'inference on 1 thread instead of 2: a worker failed (parallel inference failed in a worker thread: out of memory)');
    expect(applied).toBe(1);
  }, 60_000);

  it('never keeps a Node process alive: one that fits, encodes on 2 threads and stops exits promptly', async () => {
    const script = fileURLToPath(new URL('../__fixtures__/inference-exit.mjs', import.meta.url));
    const { stdout, exitedAt } = await new Promise<{ stdout: string; exitedAt: number }>((resolve, reject) =>
      execFile(process.execPath, [script], { timeout: 60_000 }, (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve({ stdout: out, exitedAt: Date.now() }))),
    );
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as { fitted: unknown; loaded: unknown; finishedAt: number };
    // The fitted model infers on the 2 threads it trained on; the loaded one on the 2 it was given.
    expect(report.fitted).toEqual({ threads: 2 });
    expect(report.loaded).toEqual({ threads: 2 });
    expect(exitedAt - report.finishedAt).toBeLessThan(3_000);
  }, 90_000);
});
