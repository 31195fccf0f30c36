import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportTarget, servedPlugin } from './served-plugin.js';

describe('servedPlugin', () => {
  let root: string;
  let pkg: string;

  /** A plugin package as npm installs it: package.json with exports, dist/index.js and dist/browser.js. */
  async function makePackage(dir: string, exports: unknown, files: string[] = ['dist/index.js', 'dist/browser.js']): Promise<void> {
    await mkdir(join(dir, 'dist'), { recursive: true });
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'latentkit-toy', version: '1.2.3', type: 'module', exports }));
    for (const f of files) await writeFile(join(dir, f), 'export default {};\n');
  }

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'latentkit-served-plugin-'));
    pkg = join(root, 'node_modules', 'latentkit-toy');
    await makePackage(pkg, {
      '.': { types: './dist/index.d.ts', default: './dist/index.js' },
      './browser': { types: './dist/browser.d.ts', source: './src/browser.ts', import: './dist/browser.js' },
    });
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('resolves browserEntry through the exports of the package the module belongs to', async () => {
    const served = await servedPlugin({ kind: 'toy', browserEntry: './browser' }, join(pkg, 'dist', 'index.js'));
    expect(served).toEqual({ kind: 'toy', packageName: 'latentkit-toy', browserEntryFile: join(pkg, 'dist', 'browser.js') });
  });

  it('takes the module as a file: URL too (what import.meta.resolve gives)', async () => {
    const served = await servedPlugin({ kind: 'toy', browserEntry: './browser' }, pathToFileURL(join(pkg, 'dist', 'index.js')).href);
    expect(served?.browserEntryFile).toBe(join(pkg, 'dist', 'browser.js'));
  });

  it('skips a nameless package.json on the way up (a {"type":"module"} marker)', async () => {
    await mkdir(join(pkg, 'dist', 'esm'), { recursive: true });
    await writeFile(join(pkg, 'dist', 'esm', 'package.json'), '{"type":"module"}');
    await writeFile(join(pkg, 'dist', 'esm', 'index.js'), '');
    const served = await servedPlugin({ kind: 'toy', browserEntry: './browser' }, join(pkg, 'dist', 'esm', 'index.js'));
    expect(served?.packageName).toBe('latentkit-toy');
  });

  it('gives undefined for a plugin without a browser entry', async () => {
    expect(await servedPlugin({ kind: 'toy' }, join(pkg, 'dist', 'index.js'))).toBeUndefined();
  });

  it('names the package when the entry is not exported or not built', async () => {
    await expect(servedPlugin({ kind: 'toy', browserEntry: './web' }, join(pkg, 'dist', 'index.js'))).rejects.toThrow(
      /plugin "toy" \(latentkit-toy\): its browserEntry "\.\/web" is not exported by .*package\.json/,
    );
    const unbuilt = join(root, 'unbuilt');
    await makePackage(unbuilt, { '.': './dist/index.js', './browser': './dist/browser.js' }, ['dist/index.js']);
    await expect(servedPlugin({ kind: 'toy', browserEntry: './browser' }, join(unbuilt, 'dist', 'index.js'))).rejects.toThrow(/browser entry .*browser\.js does not exist \(is the package built\?\)/);
  });

  it('refuses an export that points outside the package', async () => {
    const sneaky = join(root, 'sneaky');
    await makePackage(sneaky, { './browser': './../unbuilt/dist/index.js' });
    await expect(servedPlugin({ kind: 'toy', browserEntry: './browser' }, join(sneaky, 'dist', 'index.js'))).rejects.toThrow(/points outside the package/);
  });
});

describe('exportTarget', () => {
  it.each([
    [{ exports: { './browser': './b.js' } }, './browser', './b.js'],
    [{ exports: { './browser': { browser: './b-browser.js', import: './b.js' } } }, './browser', './b-browser.js'],
    [{ exports: { './browser': { node: './n.js', default: './d.js' } } }, './browser', './d.js'],
    [{ exports: { './browser': [{ require: './r.cjs' }, './fallback.js'] } }, './browser', './fallback.js'],
    [{ exports: { './browser': { import: { types: './b.d.ts', default: './b.js' } } } }, './browser', './b.js'],
    [{ exports: './main.js' }, '.', './main.js'],
    [{ exports: './main.js' }, './browser', undefined],
    [{ exports: { './browser': { require: './r.cjs' } } }, './browser', undefined],
    [{ exports: { './browser': '../escape.js' } }, './browser', undefined],
    [{}, './browser', './browser'],
  ])('%j %s → %s', (json, subpath, expected) => {
    expect(exportTarget(json, subpath)).toBe(expected);
  });
});
