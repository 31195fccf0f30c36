import { describe, expect, it } from 'vitest';
import { RUN_FORMAT_VERSION, parseRunManifest } from './format.js';

const base = {
  format: 'latentkit-run',
  formatVersion: 2,
  createdAt: '2024-01-01T00:00:00Z',
  seed: 0,
  data: { spec: 'toy', name: 'toy', n: 3, features: 4, hasLabels: false },
};
const model = { dir: 'umap', kind: 'umap', displayName: 'UMAP', latentDim: 2, capabilities: ['encode'], codes: true, plugin: { name: '@latentkit/umap', version: '0.1.0' } };
const text = (over: Record<string, unknown>) => JSON.stringify({ ...base, ...over });

describe('parseRunManifest', () => {
  it('reads a version 2 manifest with capabilities, plugin package and no testMse for an encode-only model', () => {
    const m = parseRunManifest(text({ models: [model] }));
    expect(m.models[0]).toEqual(model);
    expect(m.models[0]!.testMse).toBeUndefined();
  });

  it('upgrades version 1: models encoded, decoded and had codes; a null testMse is dropped', () => {
    const m = parseRunManifest(
      text({ formatVersion: 1, models: [{ dir: 'pca', kind: 'pca', displayName: 'PCA', latentDim: 4, testMse: 0.02 }, { dir: 'm', kind: 'pca', displayName: 'PCA', latentDim: 4, testMse: null }] }),
    );
    expect(m.formatVersion).toBe(RUN_FORMAT_VERSION);
    expect(m.models[0]).toMatchObject({ capabilities: ['encode', 'decode'], codes: true, testMse: 0.02 });
    expect('testMse' in m.models[1]!).toBe(false);
  });

  it('refuses other formats, versions and broken models with one line naming the source', () => {
    expect(() => parseRunManifest('{', 'r/run.json')).toThrow(/^r\/run\.json is not valid JSON/);
    expect(() => parseRunManifest('null', 'r/run.json')).toThrow('r/run.json is not a latentkit run manifest');
    expect(() => parseRunManifest(text({ formatVersion: 9, models: [] }), 'x')).toThrow('x: run format version 9 is not supported (this latentkit reads versions 1 and 2)');
    expect(() => parseRunManifest(text({ data: { n: 0, features: 4 }, models: [] }))).toThrow(/missing data description/);
    expect(() => parseRunManifest(text({ models: [{ ...model, dir: '../up' }] }))).toThrow(/invalid model folder "..\/up"/);
    expect(() => parseRunManifest(text({ models: [{ ...model, capabilities: ['fly'] }] }))).toThrow(/model umap has capabilities \["fly"\]/);
    expect(() => parseRunManifest(text({ models: [{ ...model, codes: undefined }] }))).toThrow(/must say whether it has codes/);
    expect(() => parseRunManifest(text({ models: [{ ...model, latentDim: 0 }] }))).toThrow(/integer latentDim/);
  });
});
