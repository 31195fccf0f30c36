import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLatentkitError, ReducerRegistry, type RowBatchSource, sliceRows, subsetDataset } from '@latentkit/core';
import { stratifiedSplit } from '@latentkit/data';
import { readBundleDir } from '@latentkit/node-fs';
import { matrixSource, reportingKeepFirst, type StreamCalls, streamingKeepFirst } from '../__fixtures__/stream-plugins.js';
import { keepFirstPlugin, toyData } from '../__fixtures__/toy-plugins.js';
import { fitAndSave } from './pipeline.js';
import { fitStreamAndSave, streamFitterOf } from './stream-pipeline.js';
import { labelsOfSource, testRowMask } from './stream-split.js';

describe('fitStreamAndSave', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'latentkit-stream-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));
  const whole = toyData(50);

  it('fits from the stream and measures the same train/test MSE as fitAndSave on the same split, in two reads', async () => {
    const calls: StreamCalls = { passes: 0, opened: 0 };
    const registry = new ReducerRegistry().register(streamingKeepFirst());
    const r = await fitStreamAndSave({
      registry,
      kind: 'keep-first',
      latentDim: 2,
      options: {},
      spec: 'npy:toy.npy',
      source: async () => (calls.opened++, matrixSource(whole.x, calls)),
      seed: 3,
      outDir: join(dir, 'streamed'),
    });
    r.reducer.dispose();
    expect(calls.passes).toBe(2);
    const mask = testRowMask(50, 0.2, 3, 'toy');
    const rows = (m: number) => Array.from(mask.keys()).filter((i) => mask[i] === m);
    const data = { spec: 'toy', train: subsetDataset(whole, rows(0)), test: subsetDataset(whole, rows(1)) };
    const memory = await fitAndSave({ registry: new ReducerRegistry().register(keepFirstPlugin()), kind: 'keep-first', latentDim: 2, options: {}, data, seed: 3, outDir: join(dir, 'memory') });
    memory.reducer.dispose();
    expect(r.metrics.train.n).toBe(40);
    expect(r.metrics.test.n).toBe(10);
    expect(r.metrics.train.mse! / memory.metrics.train.mse!).toBeCloseTo(1, 9);
    expect(r.metrics.test.mse! / memory.metrics.test.mse!).toBeCloseTo(1, 9);
    const bundle = await readBundleDir(join(dir, 'streamed'));
    expect(bundle.manifest.metrics.testMse).toBeCloseTo(r.metrics.test.mse!, 9);
    expect(bundle.manifest.plugin).toEqual({ name: '@toy/keep-first', version: '0.0.1' });
  });

  it('holds out round(0.2·n) rows, the same for the same seed and different for another', () => {
    const a = testRowMask(1000, 0.2, 1, 'x'), b = testRowMask(1000, 0.2, 1, 'x'), c = testRowMask(1000, 0.2, 2, 'x');
    expect(a.reduce((s, v) => s + v, 0)).toBe(200);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('refuses a plugin that cannot fit from a stream, and bad settings, before opening the source or staging', async () => {
    const registry = new ReducerRegistry().register(keepFirstPlugin()).register({ ...streamingKeepFirst(), kind: 'keep-first-s' });
    expect(streamFitterOf(registry.get('keep-first'))).toBeUndefined();
    expect(streamFitterOf(registry.get('keep-first-s'))).toBeTypeOf('function');
    let opened = 0;
    const job = { registry, latentDim: 2, options: {}, spec: 'npy:toy.npy', source: async () => (opened++, matrixSource(whole.x, { passes: 0, opened: 0 })), seed: 0, outDir: join(dir, 'no') };
    const refused = await fitStreamAndSave({ ...job, kind: 'keep-first' }).catch((e: unknown) => e);
    expect(isLatentkitError(refused) && refused.code).toBe('E_UNSUPPORTED');
    expect((refused as Error).message).toMatch(/reducer "keep-first" cannot fit from streamed rows/);
    await expect(fitStreamAndSave({ ...job, kind: 'keep-first-s', options: { epochs: 0 } })).rejects.toThrow(/epochs/);
    expect(opened).toBe(0);
    expect(await readdir(dir)).toEqual([]);
  });

  it('takes the train and test MSE a plugin reports itself, without a reconstruction pass', async () => {
    const calls: StreamCalls = { passes: 0, opened: 0 };
    const registry = new ReducerRegistry().register(reportingKeepFirst());
    const r = await fitStreamAndSave({ registry, kind: 'keep-first', latentDim: 2, options: {}, spec: 'npy:toy.npy', source: async () => matrixSource(whole.x, calls), seed: 3, outDir: join(dir, 'r') });
    r.reducer.dispose();
    expect(calls.passes).toBe(1);
    expect(r.metrics.train).toEqual({ n: 40, mse: 0.125 });
    expect(r.metrics.test).toEqual({ n: 10, mse: 0.25 });
  });

  it('holds out the rows stratifiedSplit holds out of the loaded file, labels included (one more read for them)', async () => {
    // Row i's first feature is i, so held-out rows can be traced; labels are unbalanced so stratifying matters.
    const n = 60;
    const traced = toyData(n, 0, 'traced');
    const x = { ...traced.x, data: Float32Array.from(traced.x.data, (v, k) => (k % 4 === 0 ? Math.floor(k / 4) : v)) };
    const labels = Int32Array.from({ length: n }, (_, i) => (i < 45 ? 0 : i < 55 ? 1 : 2));
    const data = { ...traced, x, labels };
    let passes = 0;
    const source: RowBatchSource = {
      name: 'traced.parquet',
      cols: 4,
      rows: n,
      labelNames: data.labelNames,
      async *batches() {
        passes++;
        for (let offset = 0; offset < n; offset += 8) yield { x: sliceRows(x, offset, offset + 8), offset, labels: labels.subarray(offset, Math.min(n, offset + 8)) };
      },
    };
    expect(Array.from((await labelsOfSource(source, n))!)).toEqual(Array.from(labels));
    const held: number[] = [];
    const plugin = streamingKeepFirst();
    const registry = new ReducerRegistry().register({
      ...plugin,
      async fitStream(train: RowBatchSource, settings: never, options?: { heldOut?: RowBatchSource }) {
        for await (const b of options!.heldOut!.batches()) for (let r = 0; r < b.x.rows; r++) held.push(b.x.data[r * 4]!);
        return plugin.fitStream!(train, settings, options);
      },
    });
    passes = 0;
    const r = await fitStreamAndSave({ registry, kind: 'keep-first', latentDim: 2, options: {}, spec: 'parquet:traced.parquet', source: async () => source, seed: 4, outDir: join(dir, 'labelled') });
    r.reducer.dispose();
    const expected = stratifiedSplit(data, { test: 0.2, seed: 4 }).test;
    expect([...held].sort((a, b) => a - b)).toEqual(Array.from({ length: expected.x.rows }, (_, k) => expected.x.data[k * 4]!).sort((a, b) => a - b));
    expect(passes).toBeGreaterThanOrEqual(3); // labels, the fit's read, the held-out read
  });
});
