import { REDUCER_SPEC_VERSION, ReducerRegistry, type ReducerPlugin } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { BUILTIN_PLUGINS } from './builtin-plugins.js';
import { buildViewerRegistry, registerPluginModule, type ModuleImporter } from './plugin-modules.js';

/** A minimal spec v2 plugin of the given kind (its fit and load are never called here). */
function toyPlugin(kind: string): ReducerPlugin {
  return {
    specVersion: REDUCER_SPEC_VERSION,
    kind,
    description: 'toy',
    capabilities: ['encode'],
    options: { '~standard': { version: 1, vendor: 'test', validate: (v: unknown) => ({ value: v }) } },
    fit: () => Promise.reject(new Error('not used')),
    load: () => Promise.reject(new Error('not used')),
  } as unknown as ReducerPlugin;
}

const modules: Record<string, Record<string, unknown>> = {
  'http://h/plugins/toy.js': { default: toyPlugin('toy') },
  'http://h/plugins/named.js': { plugin: toyPlugin('named') },
  'http://h/plugins/liar.js': { default: toyPlugin('other') },
  'http://h/plugins/empty.js': {},
};
const importer: ModuleImporter = async (url) => {
  const mod = modules[url];
  if (!mod) throw new TypeError(`Failed to fetch dynamically imported module: ${url}\nstack…`);
  return mod;
};

describe('buildViewerRegistry', () => {
  it('holds every built-in reducer, whatever the plugin list', async () => {
    const { registry, problems } = await buildViewerRegistry([], importer);
    expect(problems).toEqual([]);
    const kinds = BUILTIN_PLUGINS.map((b) => (b.plugin as ReducerPlugin).kind);
    expect(kinds.length).toBeGreaterThanOrEqual(3);
    for (const kind of kinds) expect(registry.has(kind)).toBe(true);
  });

  it('adds plugin modules (default or `plugin` export) and reports the ones that fail, by package', async () => {
    const { registry, problems } = await buildViewerRegistry(
      [
        { kind: 'toy', packageName: 'latentkit-toy', url: 'http://h/plugins/toy.js' },
        { kind: 'named', packageName: 'latentkit-named', url: 'http://h/plugins/named.js' },
        { kind: 'gone', packageName: 'latentkit-gone', url: 'http://h/plugins/gone.js' },
        { kind: 'liar', packageName: 'latentkit-liar', url: 'http://h/plugins/liar.js' },
        { kind: 'empty', packageName: 'latentkit-empty', url: 'http://h/plugins/empty.js' },
      ],
      importer,
    );
    expect(registry.has('toy')).toBe(true);
    expect(registry.has('named')).toBe(true);
    expect(registry.has('gone') || registry.has('liar') || registry.has('other') || registry.has('empty')).toBe(false);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toBe('cannot load plugin latentkit-gone from http://h/plugins/gone.js: Failed to fetch dynamically imported module: http://h/plugins/gone.js');
    expect(problems[1]).toMatch(/^plugin latentkit-liar from http:\/\/h\/plugins\/liar\.js is reducer "other", but was announced as "liar"$/);
    expect(problems[2]).toMatch(/latentkit-empty does not export a reducer plugin/);
  });
});

describe('registerPluginModule', () => {
  it('refuses a plugin whose kind is taken, naming it', async () => {
    const registry = new ReducerRegistry().register(toyPlugin('toy'), 'first');
    await expect(registerPluginModule(registry, { kind: 'toy', packageName: 'latentkit-toy', url: 'http://h/plugins/toy.js' }, importer)).rejects.toThrow(
      /"toy" is already registered/,
    );
  });
});
