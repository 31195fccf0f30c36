import { realpath, stat } from 'node:fs/promises';
import { LatentkitError } from '@latentkit/core';
import type { ServedPlugin } from './served-plugin.js';

const KIND = /^[a-z][a-z0-9-]*$/;

/** URL path of the plugin list and of one plugin's module, as the page requests them. */
export const PLUGIN_LIST_PATH = '/plugins.json';
export function pluginModulePath(kind: string): string {
  return `/plugins/${kind}.js`;
}

/** A checked plugin: its module file made real (no symlink games later) and its size known. */
export interface PluginRoute extends ServedPlugin {
  readonly realFile: string;
}

/** Checks the plugins before the server starts: valid distinct kinds, each browser entry an existing file. */
export async function checkServedPlugins(plugins: readonly ServedPlugin[]): Promise<Map<string, PluginRoute>> {
  const routes = new Map<string, PluginRoute>();
  for (const p of plugins) {
    const name = typeof p?.packageName === 'string' ? p.packageName : 'a plugin';
    if (typeof p?.kind !== 'string' || !KIND.test(p.kind)) throw new LatentkitError('E_PLUGIN', `${name}: plugin kind ${JSON.stringify(p?.kind)} must be lowercase letters, digits and dashes`);
    if (typeof p.packageName !== 'string' || p.packageName === '') throw new LatentkitError('E_PLUGIN', `plugin "${p.kind}": packageName is missing`);
    if (routes.has(p.kind)) throw new LatentkitError('E_PLUGIN', `plugin "${p.kind}" is served twice (${routes.get(p.kind)!.packageName} and ${p.packageName})`);
    let realFile: string;
    try {
      realFile = await realpath(p.browserEntryFile);
      if (!(await stat(realFile)).isFile()) throw new Error('not a file');
    } catch {
      throw new LatentkitError('E_PLUGIN', `plugin "${p.kind}" (${p.packageName}): browser entry ${String(p.browserEntryFile)} does not exist or is not a file`);
    }
    routes.set(p.kind, { kind: p.kind, packageName: p.packageName, browserEntryFile: p.browserEntryFile, realFile });
  }
  return routes;
}

/** /plugins.json: what the page loads next to its built-in reducers (URLs relative to this file). */
export function pluginListJson(routes: ReadonlyMap<string, PluginRoute>): string {
  const plugins = [...routes.values()].map((p) => ({ kind: p.kind, packageName: p.packageName, url: pluginModulePath(p.kind).slice(1) }));
  return JSON.stringify({ plugins });
}

/** The plugin a request path names (/plugins/<kind>.js), if any. */
export function pluginForPath(rawPath: string, routes: ReadonlyMap<string, PluginRoute>): PluginRoute | undefined {
  const m = /^\/plugins\/([a-z][a-z0-9-]*)\.js$/.exec(rawPath);
  return m ? routes.get(m[1]!) : undefined;
}
