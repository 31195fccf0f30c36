import { access, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LatentkitError, ReducerRegistry } from '@latentkit/core';
import { readBundleDir } from '@latentkit/node-fs';
import { doubledPlugin, keepFirstPlugin, toyData, type ToyCalls } from '../__fixtures__/toy-plugins.js';
import { checkpointDirOf, fitAndSave, type FitData } from './pipeline.js';

const exists = (p: string) => access(p).then(() => true, () => false);
const data: FitData = { spec: 'toy', train: toyData(30), test: toyData(10, 500) };

/** Mean of (x_ij − mean_j)² over rows and the columns keep-first drops (j ≥ d): its exact reconstruction MSE. */
function droppedColumnsMse(x: FitData['train']['x'], means: ArrayLike<number>, d: number): number {
  let s = 0;
  for (let i = 0; i < x.rows; i++) for (let j = d; j < x.cols; j++) s += (x.data[i * x.cols + j]! - means[j]!) ** 2;
  return s / (x.rows * x.cols);
}

describe('fitAndSave', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'latentkit-fit-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('fits, measures reconstruction MSE, and saves a bundle recording the plugin package', async () => {
    const registry = new ReducerRegistry().register(keepFirstPlugin());
    const out = join(dir, 'm');
    const r = await fitAndSave({ registry, kind: 'keep-first', latentDim: 2, options: { epochs: 3 }, data, seed: 1, outDir: out });
    // The evaluation's codes come back for reuse: exactly what encode gives for each split.
    expect(Array.from(r.codes!.train.data)).toEqual(Array.from((await r.reducer.encode!(data.train.x)).data));
    expect(Array.from(r.codes!.test.data)).toEqual(Array.from((await r.reducer.encode!(data.test.x)).data));
    expect([r.codes!.train.rows, r.codes!.test.rows, r.codes!.test.cols]).toEqual([30, 10, 2]);
    r.reducer.dispose();
    const trainMeans = Array.from({ length: 4 }, (_, j) => Array.from({ length: 30 }, (_, i) => data.train.x.data[i * 4 + j]!).reduce((a, b) => a + b) / 30);
    expect(r.metrics.test.mse).toBeCloseTo(droppedColumnsMse(data.test.x, trainMeans, 2), 6);
    expect(r.metrics.train.mse).toBeCloseTo(droppedColumnsMse(data.train.x, trainMeans, 2), 6);
    expect(r.metrics.reconstruction).toEqual({ available: true });
    expect(r.metrics.options).toEqual({ epochs: 3 });
    expect(r.metrics.explainedVarianceRatio).toEqual([0.5]);
    const bundle = await readBundleDir(out);
    expect(bundle.manifest.plugin).toEqual({ name: '@toy/keep-first', version: '0.0.1' });
    expect(bundle.manifest.metrics.testMse).toBeCloseTo(r.metrics.test.mse!, 9);
    expect(JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8')).capabilities).toEqual(['encode', 'decode']);
  });

  it('fits and saves an encode-only reducer; its metrics say reconstruction is unavailable', async () => {
    const registry = new ReducerRegistry().register(doubledPlugin());
    const r = await fitAndSave({ registry, kind: 'doubled', latentDim: 2, options: {}, data, seed: 0, outDir: join(dir, 'u') });
    r.reducer.dispose();
    expect(r.metrics.reconstruction).toEqual({ available: false, reason: 'reducer "doubled" does not support decode' });
    expect(r.metrics.test).toEqual({ n: 10 });
    expect(r.testReconstruction).toBeUndefined();
    expect(r.codes).toBeUndefined();
    const bundle = await readBundleDir(join(dir, 'u'));
    expect(bundle.manifest.metrics.testMse).toBeUndefined();
    expect(bundle.manifest.kind).toBe('doubled');
  });

  it('refuses bad settings before reading data or fitting', async () => {
    const calls: ToyCalls = { fits: 0 };
    const registry = new ReducerRegistry().register(keepFirstPlugin(calls));
    let loaded = 0;
    const load = async () => {
      loaded++;
      return data;
    };
    const job = { registry, kind: 'keep-first', latentDim: 2, data: load, seed: 0, outDir: join(dir, 'bad') };
    await expect(fitAndSave({ ...job, options: { epochs: 99 } })).rejects.toThrow(/reducer "keep-first" options: epochs: .*10/);
    await expect(fitAndSave({ ...job, options: { epoch: 1 } })).rejects.toMatchObject({ code: 'E_OPTION' });
    await expect(fitAndSave({ ...job, latentDim: 0, options: {} })).rejects.toThrow('reducer "keep-first": latent dimension must be an integer ≥ 1, got 0');
    expect(calls.fits).toBe(0);
    expect(loaded).toBe(0);
    expect(await readdir(dir)).toEqual([]);
    // The same job with valid settings does load and fit: the counters can move.
    (await fitAndSave({ ...job, options: {} })).reducer.dispose();
    expect([loaded, calls.fits]).toEqual([1, 1]);
  });

  it('refuses latentDim ≥ D after loading, leaving nothing behind', async () => {
    const registry = new ReducerRegistry().register(keepFirstPlugin());
    await expect(fitAndSave({ registry, kind: 'keep-first', latentDim: 4, options: {}, data, seed: 0, outDir: join(dir, 'x') })).rejects.toThrow('latent dimension 4 must be smaller than the input dimension 4');
    expect(await readdir(dir)).toEqual([]);
  });

  it('a cancelled fit names its last checkpoint, keeps it, and resume hands it to the plugin', async () => {
    const out = join(dir, 'c');
    const calls: ToyCalls = { fits: 0 };
    let cancel = true;
    const plugin = keepFirstPlugin(calls, async (o) => {
      if (!cancel) return;
      const { model } = await keepFirstPlugin().fit(data.train, { latentDim: 2, options: { epochs: 1 } });
      await o!.onCheckpoint!(await model.save(), 1);
      throw new LatentkitError('E_ABORTED', 'fit was cancelled');
    });
    const registry = new ReducerRegistry().register(plugin);
    const job = { registry, kind: 'keep-first', latentDim: 2, options: {}, data, seed: 0, outDir: out };
    await expect(fitAndSave(job)).rejects.toThrow(`fit was cancelled; the last good checkpoint (epoch 1) is in ${checkpointDirOf(out)}: continue with --resume`);
    expect(await exists(out)).toBe(false);
    expect(await exists(join(checkpointDirOf(out), 'manifest.json'))).toBe(true);
    cancel = false;
    const r = await fitAndSave({ ...job, resume: true });
    r.reducer.dispose();
    expect(calls.lastFitOptions?.resumeFrom?.manifest.kind).toBe('keep-first');
    expect(await exists(checkpointDirOf(out))).toBe(false);
    expect(await exists(join(out, 'metrics.json'))).toBe(true);
  });

  it('checks the output folder before reading the data; a failing loader or fit leaves no staging folder', async () => {
    const calls: ToyCalls = { fits: 0 };
    const registry = new ReducerRegistry().register(keepFirstPlugin(calls));
    await mkdir(join(dir, 'taken'));
    let loaded = 0;
    const load = async () => {
      loaded++;
      return data;
    };
    const job = { registry, kind: 'keep-first', latentDim: 2, options: {}, seed: 0 };
    await expect(fitAndSave({ ...job, data: load, outDir: join(dir, 'taken') })).rejects.toThrow(/taken already exists \(use --force to replace it\)/);
    expect(loaded).toBe(0);
    const broken = async (): Promise<FitData> => {
      throw new LatentkitError('E_IO', 'cannot read toy.csv');
    };
    await expect(fitAndSave({ ...job, data: broken, outDir: join(dir, 'a') })).rejects.toThrow('cannot read toy.csv');
    const throwing = keepFirstPlugin(calls, async () => {
      throw new LatentkitError('E_PLUGIN', 'keep-first blew up');
    });
    await expect(fitAndSave({ ...job, registry: new ReducerRegistry().register(throwing), data, outDir: join(dir, 'b') })).rejects.toThrow('keep-first blew up');
    // A plain Error from a plugin is reported naming the reducer and its package.
    const plain = keepFirstPlugin(calls, async () => {
      throw new TypeError('x.y is not a function');
    });
    await expect(fitAndSave({ ...job, registry: new ReducerRegistry().register(plain), data, outDir: join(dir, 'c') })).rejects.toMatchObject({
      code: 'E_PLUGIN',
      message: 'reducer "keep-first" (@toy/keep-first) failed to fit: x.y is not a function',
    });
    expect((await readdir(dir)).sort()).toEqual(['taken']);
  });

  it('never replaces a folder holding a protected input file, even with force', async () => {
    const registry = new ReducerRegistry().register(keepFirstPlugin());
    const out = join(dir, 'P');
    await mkdir(out);
    await writeFile(join(out, 'data.csv'), 'a,b\n1,2\n');
    const job = { registry, kind: 'keep-first', latentDim: 2, options: {}, data, seed: 0, outDir: out, force: true };
    await expect(fitAndSave({ ...job, protect: [join(out, 'data.csv')] })).rejects.toThrow(/refusing to replace .*P \(--force\): it holds the input data .*data\.csv/);
    expect(await readFile(join(out, 'data.csv'), 'utf8')).toBe('a,b\n1,2\n');
    expect(await readdir(dir)).toEqual(['P']);
  });

  it('resume without a checkpoint is one clear error', async () => {
    const registry = new ReducerRegistry().register(keepFirstPlugin());
    await expect(fitAndSave({ registry, kind: 'keep-first', latentDim: 2, options: {}, data, seed: 0, outDir: join(dir, 'n'), resume: true })).rejects.toThrow(/nothing to resume: no checkpoint at .*n\.checkpoint/);
  });
});
