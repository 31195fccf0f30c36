import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const NODE_ONLY_PACKAGES = new Set(['@latentkit/node-fs', '@latentkit/cli']);
const NODE_ENTRIES = new Set(['./node', './server']);

interface Pkg {
  dir: string;
  json: Record<string, any>;
}

function publishedPackages(): Pkg[] {
  const out: Pkg[] = [];
  for (const group of ['packages', 'apps']) {
    for (const name of readdirSync(join(repo, group)).sort()) {
      const file = join(repo, group, name, 'package.json');
      if (!existsSync(file)) continue;
      const json = JSON.parse(readFileSync(file, 'utf8'));
      if (!json.private) out.push({ dir: join(repo, group, name), json });
    }
  }
  return out;
}

/** Relative imports reachable from an entry file inside an unpacked package's dist. */
function reachableModules(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry) || !existsSync(entry)) return seen;
  seen.add(entry);
  const src = readFileSync(entry, 'utf8');
  for (const m of src.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) reachableModules(resolve(dirname(entry), m[1]!), seen);
  return seen;
}

/**
 * Teams publish the packages one by one: pack each as it would be published, install the tarballs with npm
 * into a fresh project outside the workspace, and use them together.
 */
describe('every package packs, installs from tarballs with npm, and works outside the workspace', () => {
  const pkgs = publishedPackages();
  let project: string;
  let tarballs: string;

  beforeAll(async () => {
    const root = await mkdtemp(join(tmpdir(), 'latentkit-pack-'));
    tarballs = join(root, 'tarballs');
    await mkdir(tarballs);
    for (const p of pkgs) execFileSync('pnpm', ['pack', '--pack-destination', tarballs], { cwd: p.dir, stdio: 'ignore' });
    project = join(root, 'app');
    await mkdir(project);
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    const wanted = ['core', 'data', 'pca', 'tfjs-wasm-train', 'ae-core', 'conv-ae', 'latent', 'viz'];
    const files = readdirSync(tarballs).filter((f) => wanted.some((w) => f.startsWith(`latentkit-${w}-`)));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', ...files.map((f) => join(tarballs, f))], { cwd: project, stdio: 'ignore', timeout: 300_000 });
  }, 400_000);

  it('every published package has the metadata a registry user needs', () => {
    for (const { json } of pkgs) {
      expect(json.type, json.name).toBe('module');
      expect(json.license, json.name).toBeTruthy();
      expect(json.files, json.name).toContain('dist');
      expect(typeof json.sideEffects, json.name).toBe('boolean');
      expect(json.repository?.directory, json.name).toBeTruthy();
      const entries = Object.entries<any>(json.exports ?? {}).filter(([k]) => k !== './package.json');
      expect(entries.length, json.name).toBeGreaterThan(0);
      for (const [k, v] of entries) expect(v.types, `${json.name} ${k}`).toBeTruthy();
    }
  });

  it('no packed package depends on a workspace: version or ships the source condition', () => {
    for (const f of readdirSync(tarballs)) {
      const pkgJson = execFileSync('tar', ['-xOzf', join(tarballs, f), 'package/package.json'], { encoding: 'utf8' });
      expect(pkgJson, f).not.toContain('workspace:');
      expect(JSON.parse(pkgJson).exports, f).not.toHaveProperty(['.', 'source']);
      const listing = execFileSync('tar', ['-tzf', join(tarballs, f)], { encoding: 'utf8' });
      expect(listing, f).toContain('package/README.md');
      expect(listing, f).toMatch(/package\/dist\/.*\.d\.ts/);
    }
  });

  it('browser-safe entry points import no node: module', () => {
    for (const { json } of pkgs) {
      if (NODE_ONLY_PACKAGES.has(json.name)) continue;
      const dir = join(project, 'node_modules', ...json.name.split('/'));
      if (!existsSync(dir)) continue;
      for (const [entry, target] of Object.entries<any>(json.publishConfig?.exports ?? json.exports)) {
        if (NODE_ENTRIES.has(entry) || entry === './package.json') continue;
        const file = join(dir, typeof target === 'string' ? target : target.default);
        for (const mod of reachableModules(file)) expect(readFileSync(mod, 'utf8'), `${json.name} ${entry}: ${mod}`).not.toMatch(/['"]node:/);
      }
    }
  });

  it('a script composes core + data + pca + conv-ae + latent + viz from the tarballs', async () => {
    const script = `
      import { mse, subsetDataset } from '@latentkit/core';
      import { loadMnistSplit } from '@latentkit/data/node';
      import { fitPca } from '@latentkit/pca';
      import { fitConvAe } from '@latentkit/conv-ae';
      import { fitGaussian, interpolate } from '@latentkit/latent';
      import { imageGridPng } from '@latentkit/viz';
      const { train, test } = await loadMnistSplit({ seed: 0 });
      const small = subsetDataset(train, Array.from({ length: 256 }, (_, i) => i));
      const { model: pca } = await fitPca(small, { latentDim: 8 }, { seed: 0 });
      const { model: conv } = await fitConvAe(small, { latentDim: 8, epochs: 1 }, { seed: 0 });
      const x = subsetDataset(test, [0, 1, 2, 3]).x;
      const recon = await conv.decode(await conv.encode(x));
      const density = fitGaussian(await pca.encode(small.x));
      const line = await interpolate(pca, subsetDataset(test, [0]).x, subsetDataset(test, [1]).x, 5);
      const png = imageGridPng([{ label: 'X', images: x }, { label: 'conv', images: recon }]);
      console.log(JSON.stringify({ pcaMse: mse(x, await pca.decode(await pca.encode(x))), convMse: mse(x, recon), densityDim: density.dim, steps: line.images.rows, pngBytes: png.length }));
    `;
    await writeFile(join(project, 'use.mjs'), script);
    const out = JSON.parse(execFileSync(process.execPath, ['use.mjs'], { cwd: project, encoding: 'utf8', timeout: 300_000 }).trim().split('\n').pop()!);
    expect(out.pcaMse).toBeGreaterThan(0);
    expect(out.pcaMse).toBeLessThan(0.08);
    expect(out.convMse).toBeLessThan(0.2);
    expect(out.densityDim).toBe(8);
    expect(out.steps).toBe(5);
    expect(out.pngBytes).toBeGreaterThan(100);
  }, 300_000);
});
