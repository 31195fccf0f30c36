import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createBundle } from './bundle.js';
import { LatentkitError } from './errors.js';
import { createMatrix } from './matrix.js';
import { REDUCER_SPEC_VERSION, type ReducerPlugin, type ReducerPluginV1 } from './plugin.js';
import { ReducerRegistry } from './registry.js';
import type { Reducer } from './reducer.js';
import { resolveOptions, parseOptionValue } from './options.js';

const toyModel = (over: Partial<Reducer> = {}): Reducer => ({
  kind: 'toy',
  capabilities: ['encode'],
  latentDim: 1,
  inputDim: 2,
  inputShape: [2],
  parameterCount: 0,
  encode: async (x) => x,
  save: async () => createBundle({ kind: 'toy', specVersion: 2, options: {}, inputShape: [2], latentDim: 1, blobs: {} }),
  dispose: () => {},
  ...over,
});

const plugin = (over: Partial<ReducerPlugin> = {}): ReducerPlugin => ({
  specVersion: REDUCER_SPEC_VERSION,
  kind: 'toy',
  description: 'a toy',
  capabilities: ['encode'],
  package: { name: '@acme/toy', version: '1.2.3' },
  options: z.strictObject({ rate: z.number().min(0).max(1).default(0.1).describe('rate') }),
  fit: async () => ({ model: toyModel(), result: { seconds: 0 } }),
  load: async () => toyModel(),
  ...over,
});

const data = { name: 'd', x: createMatrix(1, 2, [1, 2]) };

describe('ReducerRegistry', () => {
  it('registers, lists and looks up plugins by kind', () => {
    const r = new ReducerRegistry().register(plugin()).register(plugin({ kind: 'alpha' }));
    expect(r.kinds()).toEqual(['alpha', 'toy']);
    expect(r.get('toy').description).toBe('a toy');
  });

  it('names the unknown reducer and what is available', () => {
    const r = new ReducerRegistry().register(plugin());
    expect(() => r.get('nope')).toThrow('unknown reducer "nope" (available: toy)');
  });

  it('refuses a plugin of an unknown spec version, naming plugin and versions', () => {
    try {
      new ReducerRegistry().register({ ...plugin(), specVersion: 3 }, 'some-package');
      expect.unreachable();
    } catch (e) {
      expect((e as LatentkitError).code).toBe('E_PLUGIN_SPEC');
      expect((e as Error).message).toBe('plugin "toy" (some-package) implements reducer spec version 3, but this latentkit supports versions 1 and 2');
    }
  });

  it('refuses non-plugins, missing capabilities or schema, and duplicate kinds', () => {
    expect(() => new ReducerRegistry().register(42)).toThrow(/does not export a reducer plugin/);
    expect(() => new ReducerRegistry().register(null)).toThrow(/got null/);
    expect(() => new ReducerRegistry().register({ ...plugin(), fit: undefined })).toThrow(/fit\(\) and load\(\)/);
    expect(() => new ReducerRegistry().register(plugin({ capabilities: [] }))).toThrow(/must declare its capabilities/);
    expect(() => new ReducerRegistry().register(plugin({ capabilities: ['decode'] }))).toThrow(/"encode" or "fit-transform"/);
    expect(() => new ReducerRegistry().register(plugin({ capabilities: ['encode', 'fly'] as never }))).toThrow(/unknown capability "fly"/);
    expect(() => new ReducerRegistry().register(plugin({ options: {} as never }))).toThrow(/Standard Schema/);
    expect(() => new ReducerRegistry().register(plugin()).register(plugin())).toThrow(/already registered/);
  });

  it('lists the exporters that a model plugin declares that offer that model, and refuses malformed ones', async () => {
    const written: string[] = [];
    const npy = { format: 'npy', description: 'arrays', offers: (m: Reducer) => m.latentDim === 1, export: async (_m: Reducer, write: (p: string, b: Uint8Array) => Promise<void>) => (await write('a.npy', new Uint8Array(1)), ['a.npy']) };
    const never = { ...npy, format: 'never', offers: () => false };
    const registry = new ReducerRegistry().register(plugin({ exporters: [npy, never] }));
    expect(registry.exporters(toyModel()).map((e) => e.format)).toEqual(['npy']);
    expect(registry.exporters(toyModel({ latentDim: 2 }))).toEqual([]);
    expect(registry.exporters(toyModel({ kind: 'other' }))).toEqual([]);
    await registry.exporters(toyModel())[0]!.export(toyModel(), async (p) => void written.push(p));
    expect(written).toEqual(['a.npy']);
    expect(() => new ReducerRegistry().register(plugin({ exporters: [{ format: 'x' }] as never }))).toThrow(/exporters must be a list/);
  });

  it('validates d and options before fitting: defaults filled, unknown keys and bounds refused', async () => {
    const r = new ReducerRegistry().register(plugin());
    expect(await r.settings('toy', 2, {})).toEqual({ latentDim: 2, options: { rate: 0.1 } });
    await expect(r.settings('toy', 2, { rate: 2 })).rejects.toThrow(/reducer "toy" options: rate: .*1/);
    await expect(r.settings('toy', 2, { rat: 1 })).rejects.toThrow(/Unrecognized key.*rat/);
    await expect(r.settings('toy', 0.5, {})).rejects.toThrow('reducer "toy": latent dimension must be an integer ≥ 1, got 0.5');
    await expect(r.settings('toy', 2, JSON.parse('{"__proto__": 1}'))).rejects.toThrow(/"__proto__" is not an option name/);
    await expect(r.settings('toy', 2, null)).rejects.toThrow(/options must be an object, got null/);
  });

  it('checks that fit() returns a fitted reducer with the methods its capabilities promise', async () => {
    const r = new ReducerRegistry().register(plugin({ fit: async () => ({ model: {} as Reducer, result: { seconds: 0 } }) }));
    await expect(r.fit('toy', data, { latentDim: 1, options: {} })).rejects.toThrow('plugin "toy": fit() returned an object without save()');
    const noEncode = new ReducerRegistry().register(plugin({ fit: async () => ({ model: toyModel({ encode: undefined }), result: { seconds: 0 } }) }));
    await expect(noEncode.fit('toy', data, { latentDim: 1, options: {} })).rejects.toThrow(/declaring "encode" without encode\(\)/);
    const ok = await new ReducerRegistry().register(plugin()).fit('toy', data, { latentDim: 1, options: {} });
    expect(ok.model.latentDim).toBe(1);
  });

  it('refuses a model declaring "likelihood-bound" without logLikelihoodBound(), in one line', async () => {
    const bounded = (model: Reducer) => new ReducerRegistry().register(plugin({ capabilities: ['encode', 'likelihood-bound'], fit: async () => ({ model, result: { seconds: 0 } }) }));
    const hollow = bounded(toyModel({ capabilities: ['encode', 'likelihood-bound'] }));
    await expect(hollow.fit('toy', data, { latentDim: 1, options: {} })).rejects.toThrow(/^plugin "toy": fit\(\) returned a reducer declaring "likelihood-bound" without logLikelihoodBound\(\)$/);
    const whole = bounded(toyModel({ capabilities: ['encode', 'likelihood-bound'], logLikelihoodBound: async (x) => new Float64Array(x.rows) }));
    const { model } = await whole.fit('toy', data, { latentDim: 1, options: {} });
    expect(Array.from(await model.logLikelihoodBound!(data.x))).toEqual([0]);
  });

  it('requires fitStream() of a plugin declaring "fit-stream", in one E_PLUGIN line', () => {
    const streaming = plugin({ capabilities: ['encode', 'fit-stream'] });
    expect(() => new ReducerRegistry().register(streaming, 'acme-pkg')).toThrow(new LatentkitError('E_PLUGIN', 'plugin "toy" (acme-pkg) declares "fit-stream" but defines no fitStream()'));
    expect(() => new ReducerRegistry().register(plugin({ capabilities: ['fit-transform', 'fit-stream'] }))).toThrow(/"fit-stream" without "encode"/);
    expect(new ReducerRegistry().register(plugin({ capabilities: ['encode', 'fit-stream'], fitStream: async () => ({ model: toyModel(), result: { seconds: 0 } }) })).has('toy')).toBe(true);
  });

  it('fits from row batches through fitStream, checked like fit', async () => {
    const source = { name: 'rows.npy', cols: 2, rows: 1, async *batches() { yield { x: data.x, offset: 0 }; } };
    const settings = { latentDim: 1, options: {} };
    await expect(new ReducerRegistry().register(plugin()).fitStream('toy', source, settings)).rejects.toMatchObject({
      code: 'E_UNSUPPORTED',
      message: 'reducer "toy" does not support fit-stream (needed for a fit from rows.npy read in batches)',
    });
    const seen: unknown[] = [];
    const streaming = (over: Partial<ReducerPlugin>) => new ReducerRegistry().register(plugin({ capabilities: ['encode', 'fit-stream'], ...over }));
    const good = streaming({
      fitStream: async (s, st, o) => (seen.push(s, st, o?.heldOut), { model: toyModel(), result: { seconds: 0 }, reconstruction: { train: { n: 1, mse: 0.5 } } }),
    });
    const out = await good.fitStream('toy', source, settings, { heldOut: source });
    expect(seen).toEqual([source, settings, source]);
    expect(out.reconstruction).toEqual({ train: { n: 1, mse: 0.5 } });
    const hollow = streaming({ fitStream: async () => ({ model: toyModel({ encode: undefined }), result: { seconds: 0 } }) });
    await expect(hollow.fitStream('toy', source, settings)).rejects.toThrow('plugin "toy": fitStream() returned a reducer declaring "encode" without encode()');
    let disposed = false;
    const badMse = streaming({ fitStream: async () => ({ model: toyModel({ dispose: () => void (disposed = true) }), result: { seconds: 0 }, reconstruction: { train: { n: 1, mse: Number.NaN } } }) });
    await expect(badMse.fitStream('toy', source, settings)).rejects.toThrow(/fitStream\(\) reported reconstruction .* not \{ train: \{ n, mse \}/);
    expect(disposed).toBe(true);
  });

  it('records the plugin package in saved bundles and names it when the plugin is missing', async () => {
    const r = new ReducerRegistry().register(plugin());
    const bundle = await r.save(toyModel());
    expect(bundle.manifest.plugin).toEqual({ name: '@acme/toy', version: '1.2.3' });
    try {
      await new ReducerRegistry().load(bundle);
      expect.unreachable();
    } catch (e) {
      expect((e as LatentkitError).code).toBe('E_UNKNOWN_REDUCER');
      expect((e as Error).message).toBe('this model needs reducer "toy", which is not loaded: install @acme/toy@1.2.3 and load it as a plugin (--plugin @acme/toy or latentkit.config.json)');
    }
  });
});

describe('spec v1 adapter', () => {
  const calls: string[] = [];
  const v1: ReducerPluginV1 = {
    specVersion: 1,
    kind: 'old',
    description: 'a v1 plugin',
    options: { rate: { type: 'number', default: 0.1, min: 0, max: 1, description: 'rate' } },
    create: (o) => {
      calls.push(`create ${JSON.stringify(o)}`);
      return {
        kind: 'old',
        latentDim: o.latentDim,
        inputDim: 2,
        inputShape: [2],
        parameterCount: 0,
        fit: async () => ({ seconds: 1 }),
        encode: async (x) => x,
        decode: async (z) => z,
        save: async () => createBundle({ kind: 'old', specVersion: 1, options: {}, inputShape: [2], latentDim: 1, blobs: {} }),
        dispose: () => calls.push('dispose'),
      };
    },
    load: () => Promise.reject(new Error('not used')),
  };

  it('loads a v1 plugin: options as a schema, create + fit as fit, capabilities encode and decode', async () => {
    const r = new ReducerRegistry().register(v1, 'old-package');
    const p = r.get('old');
    expect(p.specVersion).toBe(2);
    expect(p.capabilities).toEqual(['encode', 'decode']);
    const settings = await r.settings('old', 2, { rate: 0.5 });
    const { model, result } = await r.fit('old', data, settings);
    expect(calls).toEqual(['create {"rate":0.5,"latentDim":2}']);
    expect(result.seconds).toBe(1);
    expect(model.capabilities).toEqual(['encode', 'decode']);
    await expect(r.settings('old', 2, { rate: 5 })).rejects.toThrow(/rate: must be ≤ 1/);
  });

  it('names the plugin when its create() returns a non-reducer', async () => {
    const r = new ReducerRegistry().register({ ...v1, kind: 'broken', create: () => ({}) as never }, 'broken-package');
    await expect(r.fit('broken', data, { latentDim: 1, options: {} })).rejects.toThrow('plugin "broken" (broken-package): create() returned an object without fit(), not a reducer');
  });
});

describe('v1 option tables', () => {
  const specs = { rate: { type: 'number', default: 0.1, min: 0, max: 1, description: 'rate' } } as const;
  it('fills defaults and validates bounds', () => {
    expect(resolveOptions('toy', specs, {})).toEqual({ rate: 0.1 });
    expect(() => resolveOptions('toy', specs, { rate: 2 })).toThrow('reducer "toy" option rate: must be ≤ 1, got 2');
    expect(() => resolveOptions('toy', specs, { rat: 2 })).toThrow(/has no option "rat"/);
  });
  it('parses command-line strings', () => {
    expect(parseOptionValue('h', { type: 'number[]', description: '' }, '256, 64')).toEqual([256, 64]);
    expect(parseOptionValue('b', { type: 'boolean', description: '' }, 'false')).toBe(false);
    expect(() => parseOptionValue('n', { type: 'number', description: '' }, 'abc')).toThrow(/expects a number/);
  });
});
