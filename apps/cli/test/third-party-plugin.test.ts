import { execFileSync, spawn } from 'node:child_process';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { fetchBundle, ReducerRegistry, createMatrix } from '@latentkit/core';
import { formatConformanceReport, runConformance } from '@latentkit/reducer-conformance';
import { BIN, cli, tempDir } from './helpers.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * A spec-v2 plugin as a third party writes it, in plain JavaScript: a seeded random orthonormal projection
 * (encode and decode), options as a hand-written Standard Schema (any library would do), a browser entry.
 */
const PLUGIN_SOURCE = `
import { REDUCER_SPEC_VERSION, LatentkitError, assertCols, assertFinite, createBundle, createMatrix, float32Blob, readFloat32Blob, throwIfAborted, validateDataset } from '@latentkit/core';

const KIND = 'random-projection';
const PACKAGE = { name: 'latentkit-plugin-rp', version: '1.0.0' };
const jsonSchema = { type: 'object', properties: { scale: { type: 'number', minimum: 0, default: 1, description: 'multiplies the codes' } }, additionalProperties: false };
const options = {
  '~standard': {
    version: 1,
    vendor: 'hand-written',
    validate(value) {
      const v = value ?? {};
      const extra = Object.keys(v).filter((k) => k !== 'scale');
      if (extra.length) return { issues: [{ message: 'unknown option ' + extra[0] }] };
      const scale = v.scale ?? 1;
      if (typeof scale !== 'number' || !(scale > 0)) return { issues: [{ message: 'scale must be a number > 0', path: ['scale'] }] };
      return { value: { scale } };
    },
    jsonSchema: { input: () => structuredClone(jsonSchema) },
  },
};

function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** d orthonormal rows of length D (Gram–Schmidt on seeded uniform noise). */
function orthonormalRows(d, D, seed) {
  const r = rng(seed);
  const rows = [];
  while (rows.length < d) {
    const v = Float64Array.from({ length: D }, () => r() - 0.5);
    for (const u of rows) { let dot = 0; for (let j = 0; j < D; j++) dot += v[j] * u[j]; for (let j = 0; j < D; j++) v[j] -= dot * u[j]; }
    const n = Math.hypot(...v);
    if (n > 1e-6) rows.push(v.map((x) => x / n));
  }
  return Float32Array.from(rows.flatMap((row) => [...row]));
}

function model(R, mean, d, scale, inputShape) {
  const D = mean.length;
  let disposed = false;
  const alive = () => { if (disposed) throw new LatentkitError('E_NOT_FITTED', KIND + ' model was disposed'); };
  return {
    kind: KIND, capabilities: ['encode', 'decode'], latentDim: d, inputDim: D, inputShape, parameterCount: R.length + D,
    async encode(x) {
      alive();
      assertCols(x, D, 'encode input');
      assertFinite(x, 'encode input');
      const z = createMatrix(x.rows, d);
      for (let i = 0; i < x.rows; i++) for (let k = 0; k < d; k++) { let s = 0; for (let j = 0; j < D; j++) s += (x.data[i * D + j] - mean[j]) * R[k * D + j]; z.data[i * d + k] = scale * s; }
      return z;
    },
    async decode(z) {
      alive();
      assertCols(z, d, 'codes');
      assertFinite(z, 'codes');
      const x = createMatrix(z.rows, D);
      for (let i = 0; i < z.rows; i++) for (let j = 0; j < D; j++) { let s = mean[j]; for (let k = 0; k < d; k++) s += (z.data[i * d + k] / scale) * R[k * D + j]; x.data[i * D + j] = s; }
      return x;
    },
    async save() {
      alive();
      return createBundle({ kind: KIND, specVersion: REDUCER_SPEC_VERSION, plugin: PACKAGE, options: { scale }, inputShape, latentDim: d, blobs: { projection: float32Blob(R, [d, D]), mean: float32Blob(mean, [D]) } });
    },
    dispose() { disposed = true; },
  };
}

export const randomProjectionPlugin = {
  specVersion: REDUCER_SPEC_VERSION,
  kind: KIND,
  displayName: 'RP',
  description: 'seeded random orthonormal projection (a third-party example)',
  package: PACKAGE,
  capabilities: ['encode', 'decode'],
  options,
  browserEntry: './browser',
  async fit(data, settings, fitOptions = {}) {
    const t0 = performance.now();
    throwIfAborted(fitOptions.signal, KIND + ' fit');
    validateDataset(data);
    assertFinite(data.x, 'training data');
    const { rows, cols } = data.x;
    if (settings.latentDim >= cols) throw new LatentkitError('E_OPTION', KIND + ': latentDim ' + settings.latentDim + ' must be below the ' + cols + ' input features');
    const mean = new Float32Array(cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) mean[j] += data.x.data[i * cols + j] / rows;
    const R = orthonormalRows(settings.latentDim, cols, fitOptions.seed ?? 0);
    const shape = data.imageShape ? [...data.imageShape] : [cols];
    return { model: model(R, mean, settings.latentDim, settings.options.scale, shape), result: { seconds: (performance.now() - t0) / 1000 } };
  },
  async load(bundle) {
    const m = bundle.manifest;
    if (m.kind !== KIND) throw new LatentkitError('E_BUNDLE_CORRUPT', 'a ' + m.kind + ' bundle is not a ' + KIND + ' model');
    const D = m.inputShape.reduce((a, b) => a * b, 1);
    return model(readFloat32Blob(bundle, 'projection', [m.latentDim, D]), readFloat32Blob(bundle, 'mean', [D]), m.latentDim, m.options.scale ?? 1, m.inputShape);
  },
};
export default randomProjectionPlugin;
`;

/**
 * A third party publishes a reducer as its own npm package, packed and installed with npm into a user's project
 * outside this workspace next to the published @latentkit/core. The CLI then uses it by name (--plugin or the
 * config file) in every command, and `latentkit view` serves its browser entry, without this repo knowing it.
 */
describe('a third-party reducer plugin installed from npm tarballs', () => {
  let project: string;
  let pluginFile: string;
  const pluginName = 'latentkit-plugin-rp';

  beforeAll(async () => {
    const root = await tempDir();
    const tarballs = join(root, 'tarballs');
    await mkdir(tarballs);
    // The published core, as npm would get it (workspace: versions rewritten by pnpm pack).
    execFileSync('pnpm', ['pack', '--pack-destination', tarballs], { cwd: join(repo, 'packages', 'core'), stdio: 'ignore' });
    const pluginDir = join(root, 'plugin');
    await mkdir(join(pluginDir, 'dist'), { recursive: true });
    await writeFile(join(pluginDir, 'dist', 'index.js'), PLUGIN_SOURCE);
    await writeFile(
      join(pluginDir, 'package.json'),
      JSON.stringify({ name: pluginName, version: '1.0.0', type: 'module', exports: { '.': './dist/index.js', './browser': './dist/index.js' }, files: ['dist'], peerDependencies: { '@latentkit/core': '>=0.1.0' } }),
    );
    execFileSync('npm', ['pack', '--pack-destination', tarballs], { cwd: pluginDir, stdio: 'ignore' });
    project = join(root, 'user-project');
    await mkdir(project);
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true, type: 'module' }));
    const tgz = (await readdir(tarballs)).map((f) => join(tarballs, f));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', ...tgz], { cwd: project, stdio: 'ignore' });
    pluginFile = join(project, 'node_modules', pluginName, 'dist', 'index.js');
  }, 180_000);

  it('is installed outside the workspace with no workspace links', async () => {
    const pkg = JSON.parse(await readFile(join(project, 'node_modules', '@latentkit', 'core', 'package.json'), 'utf8'));
    expect(JSON.stringify(pkg)).not.toContain('workspace:');
    expect(project.startsWith(repo)).toBe(false);
  });

  it('passes the conformance suite', async () => {
    const mod = await import(pathToFileURL(pluginFile).href);
    const report = await runConformance(mod.default);
    expect(report.results.length).toBeGreaterThan(3);
    expect(report.passed, formatConformanceReport(report)).toBe(true);
  });

  it('latentkit fit --plugin uses it by name, its options typed by its own schema', async () => {
    const r = await cli(['fit', '--plugin', pluginName, '--reducer', 'random-projection', '--latent', '8', '--opt', 'scale=2', '--out', 'rp8', '--json'], { cwd: project });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const m = JSON.parse(r.stdout);
    expect(m.reducer).toBe('random-projection');
    expect(m.options).toEqual({ scale: 2 });
    expect(m.plugin).toEqual({ name: pluginName, version: '1.0.0' });
    // A random 8-D projection keeps far less than PCA's optimum; it must still beat predicting the mean.
    expect(m.test.mse).toBeGreaterThan(0.03);
    expect(m.test.mse).toBeLessThan(0.12);
    const bad = await cli(['fit', '--plugin', pluginName, '--reducer', 'random-projection', '--opt', 'scale=-1', '--out', 'bad'], { cwd: project });
    expect(bad.stderr.trim()).toBe('latentkit: reducer "random-projection" options: scale: scale must be a number > 0');
  });

  it('latentkit.config.json makes it available to every command: list, compare, interpolate', async () => {
    await writeFile(join(project, 'latentkit.config.json'), JSON.stringify({ plugins: [pluginName] }));
    const list = await cli(['list', '--json'], { cwd: project });
    // Plugins are listed after the built-ins, in the order they were declared.
    const listed = JSON.parse(list.stdout).reducers.at(-1);
    expect(listed).toMatchObject({ kind: 'random-projection', capabilities: ['encode', 'decode'], package: { name: pluginName }, options: [{ name: 'scale', type: 'number', default: 1, minimum: 0 }] });
    const cmp = await cli(['compare', '--reducers', 'pca,random-projection', '--latent', '8', '--out', 'cmp', '--json'], { cwd: project });
    expect(cmp.code, cmp.stderr).toBe(0);
    const rows = JSON.parse(cmp.stdout).rows;
    expect(rows.map((x: { reducer: string }) => x.reducer)).toEqual(['pca', 'random-projection']);
    // PCA is the optimal linear map: the random projection must do worse.
    expect(rows[1].testMse).toBeGreaterThan(rows[0].testMse);
    const interp = await cli(['interpolate', 'cmp/random-projection', '--from', '0', '--to', '1', '--steps', '5', '--png', 'rp.png'], { cwd: project });
    expect(interp.code, interp.stderr).toBe(0);
    expect((await readFile(join(project, 'rp.png'))).subarray(1, 4).toString()).toBe('PNG');
  }, 180_000);

  it('latentkit view serves its browser entry to the viewer', async () => {
    const child = spawn(process.execPath, [BIN, 'view', 'cmp', '--json'], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number>((ok) => child.on('close', (code) => ok(code ?? -1)));
    const url = await new Promise<string>((ok, fail) => {
      child.stdout.on('data', (d) => {
        stdout += d;
        const m = /"url":\s*"([^"]+)"/.exec(stdout);
        if (m) ok(m[1]!);
      });
      child.on('close', () => fail(new Error(`view exited before printing a URL: ${stderr}`)));
    });
    try {
      const list = await (await fetch(new URL('plugins.json', url))).json();
      expect(list.plugins).toEqual([{ kind: 'random-projection', packageName: pluginName, url: 'plugins/random-projection.js' }]);
      const module = await fetch(new URL('plugins/random-projection.js', url));
      expect(module.status).toBe(200);
      expect(await module.text()).toBe(PLUGIN_SOURCE);
      const run = await (await fetch(new URL('run/run.json', url))).json();
      expect(run.models[1]).toMatchObject({ kind: 'random-projection', plugin: { name: pluginName, version: '1.0.0' } });
    } finally {
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    }
  }, 60_000);

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
      const mod = await import(pathToFileURL(pluginFile).href);
      const reducer = await new ReducerRegistry().register(mod.default).load(await fetchBundle(url));
      expect(reducer.kind).toBe('random-projection');
      const z = await reducer.encode!(createMatrix(1, 784));
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
