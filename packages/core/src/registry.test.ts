import { describe, expect, it } from 'vitest';
import { LatentkitError } from './errors.js';
import { REDUCER_SPEC_VERSION, type ReducerPlugin } from './plugin.js';
import { ReducerRegistry } from './registry.js';
import { resolveOptions, parseOptionValue } from './options.js';

const plugin = (over: Partial<ReducerPlugin> = {}): ReducerPlugin => ({
  specVersion: REDUCER_SPEC_VERSION,
  kind: 'toy',
  description: 'a toy',
  options: { rate: { type: 'number', default: 0.1, min: 0, max: 1, description: 'rate' } },
  create: () => {
    throw new Error('not used');
  },
  load: () => Promise.reject(new Error('not used')),
  ...over,
});

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

  it('refuses a plugin of another spec version, naming plugin and versions', () => {
    const r = new ReducerRegistry();
    try {
      r.register(plugin({ specVersion: 2 }), 'some-package');
      expect.unreachable();
    } catch (e) {
      expect((e as LatentkitError).code).toBe('E_PLUGIN_SPEC');
      expect((e as Error).message).toBe('plugin "toy" (some-package) implements reducer spec version 2, but this latentkit supports version 1');
    }
  });

  it('refuses non-plugins and duplicate kinds', () => {
    expect(() => new ReducerRegistry().register(42)).toThrow(/does not export a reducer plugin/);
    expect(() => new ReducerRegistry().register({ ...plugin(), create: undefined })).toThrow(/create\(\) and load\(\)/);
    expect(() => new ReducerRegistry().register(plugin()).register(plugin())).toThrow(/already registered/);
  });
});

describe('options', () => {
  const specs = plugin().options;
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
