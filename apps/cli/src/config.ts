import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { LatentkitError } from '@latentkit/core';

export const CONFIG_FILE = 'latentkit.config.json';

export interface LatentkitConfig {
  /** Plugin package names (resolved from the config file's folder) or paths relative to it. */
  readonly plugins?: readonly string[];
}

/** Keys a config may hold; "$schema" lets editors validate the file. Anything else is a typo to report. */
const KNOWN_KEYS = ['$schema', 'plugins'];

const isFile = (p: string) => stat(p).then((s) => s.isFile(), () => false);

/** The nearest latentkit.config.json from `cwd` up to the root of the file system (the first found wins). */
export async function findConfigFile(cwd: string): Promise<string | undefined> {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE);
    if (await isFile(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Reads the nearest config file; `{}` when there is none. Every problem is one E_OPTION line naming the file. */
export async function readConfig(cwd: string): Promise<LatentkitConfig & { path?: string }> {
  const path = await findConfigFile(cwd);
  if (!path) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new LatentkitError('E_OPTION', `${path} is not valid JSON (${(e as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    const got = raw === null ? 'null' : Array.isArray(raw) ? 'a list' : `a ${typeof raw}`;
    throw new LatentkitError('E_OPTION', `${path} must hold a JSON object such as {"plugins": [...]}, got ${got}`);
  }
  for (const key of Object.keys(raw)) {
    if (!KNOWN_KEYS.includes(key)) throw new LatentkitError('E_OPTION', `${path}: unknown key "${key}" (known: ${KNOWN_KEYS.join(', ')})`);
  }
  const plugins = (raw as LatentkitConfig).plugins;
  if (plugins !== undefined && (!Array.isArray(plugins) || plugins.some((p) => typeof p !== 'string'))) {
    throw new LatentkitError('E_OPTION', `${path}: "plugins" must be a list of package names or paths`);
  }
  return { ...(plugins ? { plugins } : {}), path };
}
