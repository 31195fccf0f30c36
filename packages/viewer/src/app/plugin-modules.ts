import { LatentkitError, ReducerRegistry } from '@latentkit/core';
import { BUILTIN_PLUGINS } from './builtin-plugins.js';
import type { PluginModule } from './plugin-list.js';

export type { PluginModule } from './plugin-list.js';

/** Imports a module by URL; the page uses dynamic import (its import map resolves the shared modules). */
export type ModuleImporter = (url: string) => Promise<Record<string, unknown>>;

/** The registry a viewer (or its training worker) works with, and one line per plugin that failed to load. */
export interface ViewerRegistry {
  readonly registry: ReducerRegistry;
  readonly problems: readonly string[];
}

/**
 * Registers one plugin module: imports it, takes its default export (or `plugin`) and checks it is a reducer
 * plugin of the kind the server announced. Failures are one LatentkitError line naming the package.
 */
export async function registerPluginModule(registry: ReducerRegistry, spec: PluginModule, importModule: ModuleImporter): Promise<void> {
  let mod: Record<string, unknown>;
  try {
    mod = await importModule(spec.url);
  } catch (e) {
    throw new LatentkitError('E_PLUGIN', `cannot load plugin ${spec.packageName} from ${spec.url}: ${firstLine(e)}`, { cause: e });
  }
  const plugin = (mod.default ?? mod.plugin) as { kind?: unknown } | undefined;
  if (plugin && typeof plugin === 'object' && plugin.kind !== spec.kind) {
    throw new LatentkitError('E_PLUGIN', `plugin ${spec.packageName} from ${spec.url} is reducer "${String(plugin.kind)}", but was announced as "${spec.kind}"`);
  }
  registry.register(plugin, spec.packageName);
}

/** The built-in reducers plus each plugin module that loads; the others are reported, not fatal. */
export async function buildViewerRegistry(plugins: readonly PluginModule[], importModule: ModuleImporter): Promise<ViewerRegistry> {
  const registry = new ReducerRegistry();
  for (const b of BUILTIN_PLUGINS) registry.register(b.plugin, b.packageName);
  const problems: string[] = [];
  for (const spec of plugins) {
    try {
      await registerPluginModule(registry, spec, importModule);
    } catch (e) {
      problems.push(firstLine(e));
    }
  }
  return { registry, problems };
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}
