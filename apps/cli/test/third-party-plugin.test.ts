import { execFileSync } from 'node:child_process';
import { cp, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { fetchBundle, ReducerRegistry, createMatrix } from '@latentkit/core';
import { conformanceChecks } from '@latentkit/reducer-conformance';
import { cli, tempDir } from './helpers.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const template = join(repo, 'tooling', 'templates', 'reducer');

/**
 * A third party publishes a reducer as its own npm package: built from our template, packed, and installed
 * with npm into a user's project outside this workspace next to the published @latentkit/core. The CLI then
 * uses it by name without this repo knowing it.
 */
describe('a third-party reducer plugin installed from npm tarballs', () => {
  let project: string;
  const pluginName = 'latentkit-plugin-rp';

  beforeAll(async () => {
    const root = await tempDir();
    const tarballs = join(root, 'tarballs');
    await mkdir(tarballs);
    // The published core, as npm would get it (workspace: versions rewritten by pnpm pack).
    execFileSync('pnpm', ['pack', '--pack-destination', tarballs], { cwd: join(repo, 'packages', 'core'), stdio: 'ignore' });
    // The plugin's own package: the template's build output under the third party's name.
    const pluginDir = join(root, 'plugin');
    await cp(join(template, 'dist'), join(pluginDir, 'dist'), { recursive: true });
    const templatePkg = JSON.parse(await readFile(join(template, 'package.json'), 'utf8'));
    await writeFile(
      join(pluginDir, 'package.json'),
      JSON.stringify({ name: pluginName, version: '1.0.0', type: 'module', exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } }, files: ['dist'], peerDependencies: { '@latentkit/core': '>=0.1.0' }, description: templatePkg.description }),
    );
    execFileSync('npm', ['pack', '--pack-destination', tarballs], { cwd: pluginDir, stdio: 'ignore' });
    project = join(root, 'user-project');
    await mkdir(project);
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true, type: 'module' }));
    const tgz = (await readdir(tarballs)).map((f) => join(tarballs, f));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', ...tgz], { cwd: project, stdio: 'ignore' });
  }, 180_000);

  it('is installed outside the workspace with no workspace links', async () => {
    const pkg = JSON.parse(await readFile(join(project, 'node_modules', '@latentkit', 'core', 'package.json'), 'utf8'));
    expect(JSON.stringify(pkg)).not.toContain('workspace:');
    expect(project.startsWith(repo)).toBe(false);
  });

  it('passes the conformance suite', async () => {
    const mod = await import(pathToFileURL(join(project, 'node_modules', pluginName, 'dist', 'index.js')).href);
    for (const check of conformanceChecks(mod.default)) await check.run();
  });

  it('latentkit fit --plugin uses it by name', async () => {
    const r = await cli(['fit', '--plugin', pluginName, '--reducer', 'random-projection', '--latent', '8', '--out', 'rp8', '--json'], { cwd: project });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const m = JSON.parse(r.stdout);
    expect(m.reducer).toBe('random-projection');
    // A random 8-D projection keeps far less than PCA's optimum; it must still beat predicting the mean.
    expect(m.test.mse).toBeGreaterThan(0.03);
    expect(m.test.mse).toBeLessThan(0.12);
  });

  it('latentkit.config.json makes it available to every command: list, compare, interpolate', async () => {
    await writeFile(join(project, 'latentkit.config.json'), JSON.stringify({ plugins: [pluginName] }));
    const list = await cli(['list', '--json'], { cwd: project });
    expect(JSON.parse(list.stdout).reducers.map((x: { kind: string }) => x.kind)).toContain('random-projection');
    const cmp = await cli(['compare', '--reducers', 'pca,random-projection', '--latent', '8', '--out', 'cmp', '--json'], { cwd: project });
    expect(cmp.code).toBe(0);
    const rows = JSON.parse(cmp.stdout).rows;
    expect(rows.map((x: { reducer: string }) => x.reducer)).toEqual(['pca', 'random-projection']);
    // PCA is the optimal linear map: the random projection must do worse.
    expect(rows[1].testMse).toBeGreaterThan(rows[0].testMse);
    const interp = await cli(['interpolate', 'cmp/random-projection', '--from', '0', '--to', '1', '--steps', '5', '--png', 'rp.png'], { cwd: project });
    expect(interp.code).toBe(0);
    expect((await readFile(join(project, 'rp.png'))).subarray(1, 4).toString()).toBe('PNG');
  });

  it('a bundle served over HTTP loads in a registry holding the plugin (the viewer\'s path)', async () => {
    const dir = join(project, 'rp8');
    const server = createServer(async (req, res) => {
      try {
        res.end(await readFile(join(dir, decodeURIComponent(new URL(req.url!, 'http://x').pathname).slice(1))));
      } catch {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const mod = await import(pathToFileURL(join(project, 'node_modules', pluginName, 'dist', 'index.js')).href);
      const reducer = await new ReducerRegistry().register(mod.default).load(await fetchBundle(url));
      expect(reducer.kind).toBe('random-projection');
      const z = await reducer.encode(createMatrix(1, 784));
      expect(z.cols).toBe(8);
    } finally {
      server.close();
    }
  });

  it('an unknown plugin package is one clear line', async () => {
    const r = await cli(['list', '--plugin', 'no-such-plugin'], { cwd: project });
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toMatch(/^latentkit: cannot find plugin "no-such-plugin"/);
  });
});
