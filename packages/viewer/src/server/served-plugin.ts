import { readFile, realpath, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LatentkitError } from '@latentkit/core';

/** A third-party plugin's browser module as `serveRun` serves it (at /plugins/<kind>.js). */
export interface ServedPlugin {
  readonly kind: string;
  /** The npm package it comes from: the viewer names it when the module fails to load. */
  readonly packageName: string;
  /** Absolute path of the ES module whose default export is the plugin. */
  readonly browserEntryFile: string;
}

/** The parts of a plugin `servedPlugin` reads. */
export interface PluginWithBrowserEntry {
  readonly kind: string;
  readonly browserEntry?: string;
}

/** Conditions tried, in order, when a package's exports map gives a subpath per condition. */
const BROWSER_CONDITIONS = ['browser', 'import', 'default'];

/**
 * Where a plugin's browser entry is: from `moduleFile` (any file of the plugin's package, e.g. the module the
 * CLI imported, as a path or file: URL) up to its package.json, then `plugin.browserEntry` (e.g. './browser')
 * through the package's exports. Undefined when the plugin declares no browser entry.
 */
export async function servedPlugin(plugin: PluginWithBrowserEntry, moduleFile: string | URL): Promise<ServedPlugin | undefined> {
  if (plugin.browserEntry === undefined) return undefined;
  const start = typeof moduleFile === 'string' && !moduleFile.startsWith('file:') ? resolve(moduleFile) : fileURLToPath(moduleFile);
  const { dir, json } = await packageOf(start, plugin.kind);
  const name = typeof json.name === 'string' ? json.name : dir;
  const target = exportTarget(json, plugin.browserEntry);
  if (!target) {
    throw new LatentkitError('E_PLUGIN', `plugin "${plugin.kind}" (${name}): its browserEntry "${plugin.browserEntry}" is not exported by ${join(dir, 'package.json')} (for the conditions ${BROWSER_CONDITIONS.join(', ')})`);
  }
  const file = resolve(dir, target);
  if (file !== dir && !file.startsWith(dir + sep)) throw new LatentkitError('E_PLUGIN', `plugin "${plugin.kind}" (${name}): its browser entry ${target} points outside the package`);
  try {
    if (!(await stat(file)).isFile()) throw new Error('not a file');
  } catch {
    throw new LatentkitError('E_PLUGIN', `plugin "${plugin.kind}" (${name}): its browser entry ${file} does not exist (is the package built?)`);
  }
  return { kind: plugin.kind, packageName: name, browserEntryFile: file };
}

async function packageOf(file: string, kind: string): Promise<{ dir: string; json: Record<string, unknown> }> {
  let dir = dirname(await realpath(file).catch(() => file));
  for (;;) {
    const text = await readFile(join(dir, 'package.json'), 'utf8').catch(() => undefined);
    if (text !== undefined) {
      try {
        const json = JSON.parse(text) as Record<string, unknown>;
        // A nested {"type": "module"} marker has no name: the package root is further up.
        if (typeof json.name === 'string') return { dir, json };
      } catch {
        throw new LatentkitError('E_PLUGIN', `plugin "${kind}": ${join(dir, 'package.json')} is not valid JSON`);
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new LatentkitError('E_PLUGIN', `plugin "${kind}": no package.json with a name above ${file}`);
    dir = parent;
  }
}

/** A subpath's file in a package.json "exports" map (strings, condition objects, fallback arrays). */
export function exportTarget(json: Record<string, unknown>, subpath: string): string | undefined {
  const exports = json.exports;
  if (exports === undefined) return subpath.startsWith('./') ? subpath : undefined;
  const isSubpathMap = typeof exports === 'object' && exports !== null && !Array.isArray(exports) && Object.keys(exports).some((k) => k.startsWith('.'));
  const entry = isSubpathMap ? (exports as Record<string, unknown>)[subpath] : subpath === '.' ? exports : undefined;
  return pick(entry);
}

function pick(target: unknown): string | undefined {
  if (typeof target === 'string') return target.startsWith('./') ? target : undefined;
  if (Array.isArray(target)) {
    for (const t of target) {
      const found = pick(t);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof target === 'object' && target !== null) {
    for (const [condition, value] of Object.entries(target)) {
      if (!BROWSER_CONDITIONS.includes(condition)) continue;
      const found = pick(value);
      if (found) return found;
    }
  }
  return undefined;
}
