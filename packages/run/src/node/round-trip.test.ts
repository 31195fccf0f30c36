import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReducerRegistry, canReconstruct, sliceRows, type Reducer } from '@latentkit/core';
import { writeBundleDir } from '@latentkit/node-fs';
import { doubledPlugin, keepFirstPlugin, toyData } from '../__fixtures__/toy-plugins.js';
import { pointCode } from '../reader.js';
import { readRunDir } from './dir-reader.js';
import { writeRunFolder } from './writer.js';

/** The writer and the reader agree: what one writes (by capability) the other reads back unchanged. */
describe('run folder: writer → reader round trip', () => {
  let dir: string;
  const train = toyData(30);
  const test = toyData(10, 500);
  const registry = new ReducerRegistry().register(keepFirstPlugin()).register(doubledPlugin());
  const models: Reducer[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'latentkit-run-'));
    for (const kind of ['keep-first', 'doubled']) {
      const { model } = await registry.fit(kind, train, await registry.settings(kind, 2));
      await writeBundleDir(join(dir, kind), await registry.save(model));
      models.push(model);
    }
    await writeRunFolder(dir, {
      data: { spec: 'toy', train, test },
      seed: 3,
      maxMixtureComponents: 2,
      models: models.map((reducer) => ({ dir: reducer.kind, displayName: registry.get(reducer.kind).displayName!, reducer, plugin: registry.get(reducer.kind).package, testMse: canReconstruct(reducer) ? 0.25 : undefined })),
    });
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('records each model with its capabilities, plugin package and codes', async () => {
    const run = await readRunDir(dir);
    expect(run.n).toBe(40);
    expect(run.manifest.models).toEqual([
      { dir: 'keep-first', kind: 'keep-first', displayName: 'KEEP-FIRST', latentDim: 2, capabilities: ['encode', 'decode'], plugin: { name: '@toy/keep-first', version: '0.0.1' }, codes: true, testMse: 0.25 },
      { dir: 'doubled', kind: 'doubled', displayName: 'DOUBLED', latentDim: 2, capabilities: ['encode'], plugin: { name: '@toy/doubled', version: '0.0.1' }, codes: true },
    ]);
  });

  it('reads back the points and the codes each model gives, train then test', async () => {
    const run = await readRunDir(dir);
    expect([...run.testIndices]).toEqual(Array.from({ length: 10 }, (_, i) => 30 + i));
    expect(run.labels![31]).toBe(test.labels![1]);
    expect(run.images[4]).toBe(Math.round(train.x.data[4]! * 255));
    const expected = await models[1]!.encode!(sliceRows(test.x, 3, 4));
    expect([...pointCode(run.models[1]!, 33)]).toEqual([...expected.data]);
  });

  it('writes reconstruction scores only for the model that decodes; density and combined for both', async () => {
    const run = await readRunDir(dir);
    const [decoder, encoder] = run.models;
    expect(decoder!.latent!.scores!.reconstruction).toHaveLength(10);
    expect(decoder!.latent!.scores!.combined).toHaveLength(10);
    const scores = encoder!.latent!.scores!;
    expect(scores.reconstruction).toBeUndefined();
    expect(scores.density).toHaveLength(10);
    // Without a decoder the combined score is the standardised density score: the same ranking.
    const rank = (v: readonly number[]) => v.map((_, i) => i).sort((a, b) => v[a]! - v[b]!);
    expect(rank(scores.combined)).toEqual(rank(scores.density));
    expect(scores.combined).not.toEqual(scores.density);
    expect(encoder!.latent!.gaussian).toBeDefined();
  });

  it('lists a model that gives no codes for the points with codes: false and no codes file', async () => {
    const other = await mkdtemp(join(tmpdir(), 'latentkit-run-'));
    try {
      const reducer = { ...models[0]!, kind: 'ft', capabilities: ['fit-transform'] as const, encode: undefined };
      await writeRunFolder(other, { data: { spec: 'toy', train, test }, seed: 0, models: [{ dir: 'ft', displayName: 'FT', reducer }] });
      const run = await readRunDir(other);
      expect(run.manifest.models[0]).toMatchObject({ kind: 'ft', codes: false, capabilities: ['fit-transform'] });
      expect(run.models[0]!.codes).toBeUndefined();
      expect(await readdir(other)).not.toContain('ft');
      const manifest = JSON.parse(await readFile(join(other, 'run.json'), 'utf8'));
      expect(manifest.models[0].testMse).toBeUndefined();
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});

/** A fitted "doubled" reducer on toy data, and a copy of it that records the row count of every encode call. */
async function countingDoubled() {
  const registry = new ReducerRegistry().register(doubledPlugin());
  const train = toyData(30);
  const test = toyData(10, 500);
  const { model } = await registry.fit('doubled', train, await registry.settings('doubled', 2));
  const encodedRows: number[] = [];
  const counting: Reducer = { ...model, encode: async (x) => (encodedRows.push(x.rows), model.encode!(x)) };
  return { train, test, model, counting, encodedRows };
}

describe('run folder: training codes the fit already computed', () => {
  it('encodes only the test rows and stores the given training codes as they are', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'latentkit-run-'));
    try {
      const { train, test, model, counting, encodedRows } = await countingDoubled();
      // A layout the reducer's encode would not reproduce: the run keeps it for the training points.
      const layout = { rows: 30, cols: 2, data: Float32Array.from({ length: 60 }, (_, i) => i) };
      await writeRunFolder(dir, { data: { spec: 'toy', train, test }, seed: 1, maxMixtureComponents: 2, models: [{ dir: 'doubled', displayName: 'D', reducer: counting, trainCodes: layout }] });
      expect(encodedRows).toEqual([10]);
      const run = await readRunDir(dir);
      expect([...pointCode(run.models[0]!, 7)]).toEqual([14, 15]);
      expect([...pointCode(run.models[0]!, 32)]).toEqual([...(await model.encode!(sliceRows(test.x, 2, 3))).data]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('encodes nothing when the test codes are given too, and keeps them as they are', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'latentkit-run-'));
    try {
      const { train, test, counting, encodedRows } = await countingDoubled();
      const codes = (rows: number, from: number) => ({ rows, cols: 2, data: Float32Array.from({ length: 2 * rows }, (_, i) => from + i) });
      const models = [{ dir: 'doubled', displayName: 'D', reducer: counting, trainCodes: codes(30, 0), testCodes: codes(10, 1000) }];
      await writeRunFolder(dir, { data: { spec: 'toy', train, test }, seed: 1, maxMixtureComponents: 2, models });
      expect(encodedRows).toEqual([]);
      const run = await readRunDir(dir);
      expect([...pointCode(run.models[0]!, 32)]).toEqual([1004, 1005]);
      // Test codes of the wrong length are not trusted: the test rows are encoded instead.
      await writeRunFolder(dir, { data: { spec: 'toy', train, test }, seed: 1, maxMixtureComponents: 2, models: [{ ...models[0]!, testCodes: codes(9, 1000) }] });
      expect(encodedRows).toEqual([10]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
