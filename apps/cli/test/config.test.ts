import { mkdir, realpath, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { CONFIG_FILE, findConfigFile, readConfig } from '../src/config.js';
import { cli, tempDir } from './helpers.js';

/** A spec-v2 plugin as a plain module: a Standard Schema by hand, encode only. */
const PLUGIN = `
const options = { '~standard': { version: 1, vendor: 'hand', validate: (v) => ({ value: v ?? {} }), jsonSchema: { input: () => ({ type: 'object', properties: {} }) } } };
export default { specVersion: 2, kind: 'from-config', description: 'found through a parent config', capabilities: ['encode'], options,
  fit: async () => { throw new Error('not used'); }, load: async () => { throw new Error('not used'); } };
`;

describe('latentkit.config.json', () => {
  let root: string;
  beforeEach(async () => {
    root = await realpath(await tempDir());
  });

  it('is searched from cwd up the folder tree; the nearest wins', async () => {
    const deep = join(root, 'a', 'b', 'c');
    await mkdir(deep, { recursive: true });
    expect(await findConfigFile(deep)).toBeUndefined();
    await writeFile(join(root, CONFIG_FILE), JSON.stringify({ plugins: ['./far.mjs'] }));
    expect(await findConfigFile(deep)).toBe(join(root, CONFIG_FILE));
    await writeFile(join(root, 'a', CONFIG_FILE), JSON.stringify({ plugins: ['./near.mjs'] }));
    expect(await readConfig(deep)).toEqual({ plugins: ['./near.mjs'], path: join(root, 'a', CONFIG_FILE) });
  });

  it('a folder named like the config file is not a config', async () => {
    await mkdir(join(root, 'x', CONFIG_FILE), { recursive: true });
    expect(await findConfigFile(join(root, 'x'))).toBeUndefined();
  });

  it('refuses unknown keys, naming the file and the key', async () => {
    await writeFile(join(root, CONFIG_FILE), JSON.stringify({ plugin: ['x'] }));
    await expect(readConfig(root)).rejects.toThrow(`${join(root, CONFIG_FILE)}: unknown key "plugin" (known: $schema, plugins)`);
  });

  for (const [text, got] of [['null', 'null'], ['42', 'a number'], ['[]', 'a list'], ['"plugins"', 'a string']] as const) {
    it(`refuses ${text} naming the file`, async () => {
      await writeFile(join(root, CONFIG_FILE), text);
      await expect(readConfig(root)).rejects.toMatchObject({ code: 'E_OPTION', message: `${join(root, CONFIG_FILE)} must hold a JSON object such as {"plugins": [...]}, got ${got}` });
    });
  }

  it('refuses broken JSON and a plugins value that is not a list of strings', async () => {
    await writeFile(join(root, CONFIG_FILE), '{"plugins": [');
    await expect(readConfig(root)).rejects.toThrow(new RegExp(`^${join(root, CONFIG_FILE).replace(/[.]/g, '\\.')} is not valid JSON`));
    await writeFile(join(root, CONFIG_FILE), JSON.stringify({ plugins: [1] }));
    await expect(readConfig(root)).rejects.toThrow(/"plugins" must be a list of package names or paths/);
  });

  it('the CLI loads plugins of a parent folder\'s config, resolved from that folder', async () => {
    await writeFile(join(root, 'my-plugin.mjs'), PLUGIN);
    await writeFile(join(root, CONFIG_FILE), JSON.stringify({ plugins: ['./my-plugin.mjs'] }));
    const child = join(root, 'work', 'here');
    await mkdir(child, { recursive: true });
    const r = await cli(['list', '--json'], { cwd: child });
    expect(r.stderr).toBe('');
    const reducers = JSON.parse(r.stdout).reducers as { kind: string; capabilities: string[] }[];
    expect(reducers.at(-1)).toMatchObject({ kind: 'from-config', capabilities: ['encode'] });
  });

  it('the CLI stops on a misspelt key with one line naming file and key', async () => {
    await writeFile(join(root, CONFIG_FILE), JSON.stringify({ plugns: [] }));
    const r = await cli(['list'], { cwd: root });
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([`latentkit: ${join(root, CONFIG_FILE)}: unknown key "plugns" (known: $schema, plugins)`]);
  });
});
