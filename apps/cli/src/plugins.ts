import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LatentkitError, ReducerRegistry } from '@latentkit/core';
import { builtinPlugins } from './builtin-plugins.js';
import { readConfig } from './config.js';

/** Imports one plugin: a package name resolved from `from` (as a user's project would) or a file/folder path. */
export async function importPlugin(spec: string, from: string): Promise<unknown[]> {
  return (await importPluginModule(spec, from)).plugins;
}

/** The plugins a module exports, and the module's URL (the viewer finds the plugin's browser entry from it). */
async function importPluginModule(spec: string, from: string): Promise<{ plugins: unknown[]; url: string }> {
  const looksLikePath = spec.startsWith('.') || isAbsolute(spec);
  let url: string;
  try {
    url = looksLikePath ? pathToFileURL(resolveEntry(resolve(from, spec))).href : pathToFileURL(createRequire(join(from, 'noop.js')).resolve(spec)).href;
  } catch {
    try {
      // ESM-only packages without a "require" condition: find the package folder up the tree and read its entry.
      url = pathToFileURL(resolveEntry(findPackageDir(spec, from))).href;
    } catch {
      throw new LatentkitError('E_PLUGIN', `cannot find plugin "${spec}" from ${from} (is it installed?)`);
    }
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (e) {
    throw new LatentkitError('E_PLUGIN', `cannot load plugin "${spec}": ${(e as Error).message.split('\n')[0]}`, { cause: e });
  }
  const exported = mod.default ?? mod.plugin;
  return { plugins: Array.isArray(exported) ? exported : [exported], url };
}

function findPackageDir(spec: string, from: string): string {
  let dir = resolve(from);
  for (;;) {
    const candidate = join(dir, 'node_modules', spec);
    try {
      createRequire(join(candidate, 'noop.js'))(join(candidate, 'package.json'));
      return candidate;
    } catch {
      const parent = dirname(dir);
      if (parent === dir) throw new Error(`no ${spec} under ${from}`);
      dir = parent;
    }
  }
}

function resolveEntry(path: string): string {
  const req = createRequire(join(path, 'noop.js'));
  try {
    return req.resolve(path);
  } catch {
    // A folder whose package.json only has ESM "exports": read its "." entry.
    const pkg = req(join(path, 'package.json')) as { exports?: unknown; main?: string };
    const dot = typeof pkg.exports === 'string' ? pkg.exports : ((pkg.exports as Record<string, unknown>)?.['.'] ?? pkg.main);
    const target = typeof dot === 'string' ? dot : ((dot as Record<string, string>)?.import ?? (dot as Record<string, string>)?.default);
    if (!target) throw new Error(`no entry point in ${path}`);
    return join(path, target);
  }
}

const declared = new WeakMap<ReducerRegistry, string[]>();
const modules = new WeakMap<ReducerRegistry, Map<string, string>>();

/** Kinds in the order they were declared: built-ins as listed, then config plugins, then --plugin ones. */
export function declaredKinds(registry: ReducerRegistry): string[] {
  return declared.get(registry) ?? registry.kinds();
}

/** The module URL of each plugin loaded from a config file or --plugin, by kind (built-ins are not listed). */
export function pluginModules(registry: ReducerRegistry): ReadonlyMap<string, string> {
  return modules.get(registry) ?? new Map();
}

/** A registry of the built-in reducers only (synchronous: for --help before any plugin is imported). */
export function builtinRegistry(): ReducerRegistry {
  const registry = new ReducerRegistry();
  for (const p of builtinPlugins) registry.register(p, 'latentkit');
  declared.set(registry, builtinPlugins.map((p) => p.kind));
  return registry;
}

/**
 * The registry a command uses: built-in reducers, then the plugins of the nearest latentkit.config.json
 * (resolved from its folder), then --plugin ones (resolved from cwd).
 */
export async function buildRegistry(cwd: string, extraPlugins: readonly string[] = []): Promise<ReducerRegistry> {
  const registry = builtinRegistry();
  const order = [...declaredKinds(registry)];
  const urls = new Map<string, string>();
  const config = await readConfig(cwd);
  const specs = [...(config.plugins ?? []).map((spec) => ({ spec, from: dirname(config.path!) })), ...extraPlugins.map((spec) => ({ spec, from: cwd }))];
  for (const { spec, from } of specs) {
    const { plugins, url } = await importPluginModule(spec, from);
    for (const plugin of plugins) {
      const before = new Set(registry.kinds());
      registry.register(plugin, spec);
      for (const kind of registry.kinds().filter((k) => !before.has(k))) {
        order.push(kind);
        urls.set(kind, url);
      }
    }
  }
  declared.set(registry, order);
  modules.set(registry, urls);
  return registry;
}
