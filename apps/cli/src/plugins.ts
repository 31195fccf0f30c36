import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LatentkitError, ReducerRegistry, type ReducerPlugin } from '@latentkit/core';
import { builtinPlugins } from './builtin-plugins.js';

export const CONFIG_FILE = 'latentkit.config.json';

export interface LatentkitConfig {
  /** Plugin package names (resolved from the config's folder) or paths. */
  readonly plugins?: readonly string[];
}

/** Reads latentkit.config.json from `cwd` when present. */
export async function readConfig(cwd: string): Promise<LatentkitConfig & { path?: string }> {
  const path = join(cwd, CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return {};
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new LatentkitError('E_OPTION', `${path} is not valid JSON (${(e as Error).message})`);
  }
  const plugins = (raw as LatentkitConfig).plugins;
  if (plugins !== undefined && (!Array.isArray(plugins) || plugins.some((p) => typeof p !== 'string'))) {
    throw new LatentkitError('E_OPTION', `${path}: "plugins" must be a list of package names or paths`);
  }
  return { ...(plugins ? { plugins } : {}), path };
}

/** Imports one plugin: a package name resolved from `cwd` (as a user's project would) or a file/folder path. */
export async function importPlugin(spec: string, cwd: string): Promise<ReducerPlugin[]> {
  const looksLikePath = spec.startsWith('.') || isAbsolute(spec);
  let url: string;
  try {
    url = looksLikePath ? pathToFileURL(resolveEntry(resolve(cwd, spec))).href : pathToFileURL(createRequire(join(cwd, 'noop.js')).resolve(spec)).href;
  } catch {
    try {
      // ESM-only packages without a "require" condition: let import() resolve from cwd's node_modules.
      url = pathToFileURL(join(cwd, 'node_modules', spec)).href;
      url = pathToFileURL(resolveEntry(new URL(url).pathname)).href;
    } catch {
      throw new LatentkitError('E_PLUGIN', `cannot find plugin "${spec}" from ${cwd} (is it installed?)`);
    }
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (e) {
    throw new LatentkitError('E_PLUGIN', `cannot load plugin "${spec}": ${(e as Error).message.split('\n')[0]}`, { cause: e });
  }
  const exported = mod.default ?? mod.plugin;
  const list = Array.isArray(exported) ? exported : [exported];
  return list as ReducerPlugin[];
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

/** The registry a command uses: built-in reducers, then config plugins, then --plugin ones. */
export async function buildRegistry(cwd: string, extraPlugins: readonly string[] = []): Promise<ReducerRegistry> {
  const registry = new ReducerRegistry();
  for (const p of builtinPlugins) registry.register(p, 'latentkit');
  const config = await readConfig(cwd);
  for (const spec of [...(config.plugins ?? []), ...extraPlugins]) {
    for (const plugin of await importPlugin(spec, cwd)) registry.register(plugin, spec);
  }
  return registry;
}
