import {
  assertReducerPlugin,
  concatRows,
  createMatrix,
  type Dataset,
  LatentkitError,
  type Matrix,
  reconstruct,
  ReducerRegistry,
  selectRows,
  sliceRows,
} from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };
import { knnLabelAccuracy, threeClusters } from './__fixtures__/clusters.js';
import umapDefault, { fitUmap, umapPlugin, type UmapOptionsInput } from './index.js';

// Small data and few epochs keep these fits well under a second.
const train = threeClusters(40, 8, 1);
const fresh = threeClusters(20, 8, 2, 'held-out');
const quick: UmapOptionsInput = { nNeighbors: 10, nEpochs: 60 };
const registry = new ReducerRegistry().register(umapPlugin);
/** Fits as apps do: options validated (defaults filled) by the registry, then the plugin's fit. */
const fit = async (data: Dataset = train, seed = 7, options: UmapOptionsInput = quick, latentDim = 2) =>
  registry.fit('umap', data, await registry.settings('umap', latentDim, options), { seed });

async function errorOf(fn: () => Promise<unknown>): Promise<LatentkitError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof LatentkitError) return e;
    throw e;
  }
  throw new Error('expected a LatentkitError');
}

const bits = (m: Matrix) => Array.from(new Uint32Array(m.data.buffer, m.data.byteOffset, m.data.length));

describe('umap plugin', () => {
  it('is a valid spec v2 plugin, encode only, from this package, also as the default export', () => {
    expect(assertReducerPlugin(umapDefault)).toBe(umapPlugin);
    expect(umapPlugin.capabilities).toEqual(['encode']);
    expect(umapPlugin.package).toEqual({ name: pkg.name, version: pkg.version });
    expect(umapPlugin.package?.name).toBe('@latentkit/umap');
  });

  it('fits to an n×d embedding and encodes any rows to codes of d columns; no decode', async () => {
    const { model, embedding, result } = await fit(train, 7, quick, 3);
    expect([embedding?.rows, embedding?.cols]).toEqual([train.x.rows, 3]);
    expect([model.latentDim, model.inputDim, model.inputShape]).toEqual([3, 8, [8]]);
    expect(model.parameterCount).toBe(train.x.rows * 3);
    expect(result.info?.epochs).toBe(60);
    const z = await model.encode!(fresh.x);
    expect([z.rows, z.cols]).toEqual([fresh.x.rows, 3]);
    expect(z.data.every(Number.isFinite)).toBe(true);
    expect('decode' in model).toBe(false);
    await expect(reconstruct(model, fresh.x)).rejects.toThrow('reducer "umap" does not support decode (needed for reconstruction)');
    model.dispose();
  });

  it('keeps three separated clusters apart, in the embedding and for new rows', async () => {
    const { model, embedding } = await fit();
    expect(knnLabelAccuracy(embedding!, train.labels!, embedding!, train.labels!, { leaveOneOut: true })).toBeGreaterThan(0.9);
    const z = await model.encode!(fresh.x);
    expect(knnLabelAccuracy(embedding!, train.labels!, z, fresh.labels!)).toBeGreaterThan(0.9);
    model.dispose();
  });

  it('encodes a training row close to where the fit put it', async () => {
    const { model, embedding } = await fit();
    const z = await model.encode!(train.x);
    let spread = 0, gap = 0;
    for (let i = 0; i < train.x.rows; i++) {
      gap += Math.hypot(z.data[2 * i]! - embedding!.data[2 * i]!, z.data[2 * i + 1]! - embedding!.data[2 * i + 1]!);
      spread += Math.hypot(embedding!.data[2 * i]! - embedding!.data[0]!, embedding!.data[2 * i + 1]! - embedding!.data[1]!);
    }
    // Mean gap well under a sixth of the layout's mean extent (a random placement gives about 1). Over
    // seeds 1–10 this ratio spans 0.09–0.14, with umap-js's approximate neighbour graph as with the exact one.
    expect(gap / spread).toBeLessThan(0.15);
    model.dispose();
  });

  it('gives one embedding per seed: bit-identical codes for the same seed, different for another', async () => {
    const [a, b, c] = await Promise.all([fit(train, 7), fit(train, 7), fit(train, 8)]);
    expect(bits(b.embedding!)).toEqual(bits(a.embedding!));
    expect(bits(await b.model.encode!(fresh.x))).toEqual(bits(await a.model.encode!(fresh.x)));
    expect(bits(c.embedding!)).not.toEqual(bits(a.embedding!));
    expect(bits(await c.model.encode!(fresh.x))).not.toEqual(bits(await a.model.encode!(fresh.x)));
    for (const o of [a, b, c]) o.model.dispose();
  });

  it("codes a row the same whatever it is encoded with: batches, order and repeats don't matter", async () => {
    const { model } = await fit();
    const whole = await model.encode!(fresh.x);
    const parts = [];
    for (const [s, e] of [[0, 1], [1, 8], [8, fresh.x.rows]] as const) parts.push(await model.encode!(sliceRows(fresh.x, s, e)));
    expect(bits(concatRows(parts))).toEqual(bits(whole));
    const reversed = await model.encode!(selectRows(fresh.x, Array.from({ length: fresh.x.rows }, (_, i) => fresh.x.rows - 1 - i)));
    expect(bits(selectRows(reversed, Array.from({ length: fresh.x.rows }, (_, i) => fresh.x.rows - 1 - i)))).toEqual(bits(whole));
    expect(bits(await model.encode!(fresh.x))).toEqual(bits(whole));
    model.dispose();
  });

  it('saves the training rows and layout, and a loaded model encodes new rows bit-identically', async () => {
    const { model } = await fit(train, 7, { ...quick, metric: 'cosine' });
    const bundle = await registry.save(model);
    expect(bundle.manifest.plugin).toEqual({ name: pkg.name, version: pkg.version });
    expect(bundle.manifest.options).toMatchObject({ nNeighbors: 10, nEpochs: 60, metric: 'cosine' });
    expect(bundle.manifest.seed).toBe(7);
    // 4·n·(D + d) bytes: the training rows and their 2-D layout.
    const bytes = [...bundle.blobs.values()].reduce((s, b) => s + b.bytes.byteLength, 0);
    expect(bytes).toBe(4 * train.x.rows * (8 + 2));
    const loaded = await registry.load(bundle);
    expect(loaded.capabilities).toEqual(['encode']);
    expect(bits(await loaded.encode!(fresh.x))).toEqual(bits(await model.encode!(fresh.x)));
    loaded.dispose();
    model.dispose();
  });

  it('refuses a bundle of another kind or with missing parts', async () => {
    const { model } = await fit();
    const bundle = await model.save();
    model.dispose();
    const other = { ...bundle, manifest: { ...bundle.manifest, kind: 'pca' } };
    expect((await errorOf(() => umapPlugin.load(other))).code).toBe('E_BUNDLE_CORRUPT');
    const noLayout = { ...bundle, blobs: new Map([...bundle.blobs].filter(([name]) => name !== 'embedding')) };
    expect((await errorOf(() => umapPlugin.load(noLayout))).message).toMatch(/missing blob "embedding"/);
    const badOptions = { ...bundle, manifest: { ...bundle.manifest, options: { ...bundle.manifest.options, nNeighbors: 0 } } };
    expect((await errorOf(() => umapPlugin.load(badOptions))).message).toMatch(/umap bundle: invalid options \(nNeighbors/);
  });

  it('refuses bad input with one typed error naming the problem', async () => {
    const nan = createMatrix(train.x.rows, 8, train.x.data.map((v, i) => (i === 13 ? Number.NaN : v)));
    const e1 = await errorOf(() => fit({ ...train, x: nan }));
    expect([e1.code, e1.message]).toEqual(['E_INPUT_VALUE', 'dataset "three-clusters" has a non-finite value (NaN) at row 1, column 5']);

    expect((await errorOf(() => fit({ ...train, x: createMatrix(0, 8), labels: new Int32Array(0) }))).code).toBe('E_EMPTY');

    const e2 = await errorOf(() => fit(threeClusters(3, 8, 1), 7, { nNeighbors: 10 }));
    expect(e2.code).toBe('E_OPTION');
    expect(e2.message).toBe('reducer "umap": nNeighbors (10) must be smaller than the number of rows (9); lower nNeighbors or pass more rows');

    const e3 = await errorOf(() => fit(train, 7, quick, 8));
    expect([e3.code, e3.message]).toEqual(['E_OPTION', 'reducer "umap": latent dimension 8 must be smaller than the input dimension 8']);
    expect((await errorOf(() => fit(train, 7, { nNeighbors: 1 }))).code).toBe('E_OPTION');

    const { model } = await fit();
    const e4 = await errorOf(() => model.encode!(createMatrix(2, 9)));
    expect([e4.code, e4.message]).toEqual(['E_SHAPE', 'umap encode input has 9 columns, expected 8']);
    const e5 = await errorOf(() => model.encode!(createMatrix(1, 8, [0, 0, Infinity, 0, 0, 0, 0, 0])));
    expect(e5.code).toBe('E_INPUT_VALUE');
    model.dispose();
    expect((await errorOf(() => model.encode!(fresh.x))).code).toBe('E_NOT_FITTED');
  });

  it('reports each layout epoch and stops with E_ABORTED when cancelled', async () => {
    const events: { phase: string; epoch?: number; epochs?: number; fraction?: number }[] = [];
    const { model } = await fitUmap(train, { latentDim: 2, options: quick }, { seed: 1, onProgress: (e) => events.push(e) });
    model.dispose();
    expect(events[0]?.phase).toBe('neighbors');
    const layout = events.filter((e) => e.phase === 'layout');
    expect(layout.map((e) => e.epoch)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(layout.every((e) => e.epochs === 60)).toBe(true);
    expect(layout.at(-1)?.fraction).toBe(1);

    const before = new AbortController();
    before.abort();
    expect((await errorOf(() => fitUmap(train, { latentDim: 2, options: quick }, { signal: before.signal }))).code).toBe('E_ABORTED');

    const during = new AbortController();
    let last = 0;
    const onProgress = (e: { epoch?: number }) => {
      last = e.epoch ?? last;
      if (e.epoch === 5) during.abort();
    };
    const e = await errorOf(() => fitUmap(train, { latentDim: 2, options: quick }, { signal: during.signal, onProgress }));
    expect([e.code, last]).toEqual(['E_ABORTED', 5]);
  });
});
