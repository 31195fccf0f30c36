import { readFile, writeFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';

// The CLI end to end on the embedded MNIST digits, as a user runs it.
describe('latentkit fit / eval / reconstruct with PCA on embedded MNIST', () => {
  let dir: string;
  let metrics: { [k: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

  beforeAll(async () => {
    dir = await tempDir();
    const r = await cli(['fit', '--data', 'mnist', '--reducer', 'pca', '--latent', '16', '--seed', '0', '--out', 'pca16'], { cwd: dir });
    // Piped stderr gets progress lines (not a terminal), but no error line.
    expect(r.stderr.split('\n').filter((l) => l.startsWith('latentkit:')), r.stderr).toEqual([]);
    expect(r.code).toBe(0);
    metrics = JSON.parse(await readFile(join(dir, 'pca16', 'metrics.json'), 'utf8'));
  });

  it('writes metrics.json with the documented fields and plausible figures', () => {
    expect(metrics.reducer).toBe('pca');
    expect(metrics.latentDim).toBe(16);
    expect(metrics.data).toBe('mnist');
    expect(metrics.train.n).toBe(8000);
    expect(metrics.test.n).toBe(2000);
    // PCA d=16 on MNIST reconstructs to ≈0.027 per pixel; train error is a little lower than test.
    expect(metrics.test.mse).toBeGreaterThan(0.02);
    expect(metrics.test.mse).toBeLessThan(0.035);
    expect(metrics.train.mse).toBeLessThan(metrics.test.mse);
    expect(metrics.explainedVarianceRatio).toHaveLength(16);
    expect(metrics.fitSeconds).toBeGreaterThan(0);
  });

  it('writes a loadable bundle and eval reproduces the test MSE', async () => {
    expect((await readdir(join(dir, 'pca16'))).sort()).toContain('manifest.json');
    const r = await cli(['eval', 'pca16', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.test.mse).toBeCloseTo(metrics.test.mse, 9);
    expect(out.test.varianceExplained).toBeGreaterThan(0.5);
  });

  it('reconstruct writes originals over reconstructions as a PNG', async () => {
    const r = await cli(['reconstruct', 'pca16', '--n', '8', '--png', 'rec.png'], { cwd: dir });
    expect(r.code).toBe(0);
    const png = decode(await readFile(join(dir, 'rec.png')));
    // two rows of 8 digits, 28 px each at some scale, plus a label column: wider than tall
    expect(png.width).toBeGreaterThan(8 * 28);
    expect(png.height).toBeGreaterThanOrEqual(2 * 28);
    expect(png.width).toBeGreaterThan(png.height);
  });

  it('refuses to overwrite a run folder without --force and keeps the old one', async () => {
    const r = await cli(['fit', '--reducer', 'pca', '--latent', '4', '--out', 'pca16'], { cwd: dir });
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/already exists \(use --force/);
    const still = JSON.parse(await readFile(join(dir, 'pca16', 'metrics.json'), 'utf8'));
    expect(still.latentDim).toBe(16);
  });

  it('takes a variance fraction for PCA', async () => {
    const r = await cli(['fit', '--reducer', 'pca', '--latent', '0.5', '--out', 'pca-half', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const m = JSON.parse(r.stdout);
    const sum = m.explainedVarianceRatio.reduce((a: number, b: number) => a + b, 0);
    expect(sum).toBeGreaterThanOrEqual(0.5);
    expect(sum - m.explainedVarianceRatio.at(-1)).toBeLessThan(0.5);
  });
});

describe('CLI errors are one line with a non-zero exit code', () => {
  const cases: [string, string[], RegExp][] = [
    ['unknown reducer', ['fit', '--reducer', 'nope', '--out', 'x'], /unknown reducer "nope" \(available: .*pca/],
    ['unknown data source', ['fit', '--data', 'imagenet', '--out', 'x'], /unknown data source "imagenet"/],
    ['latent ≥ input dim', ['fit', '--latent', '784', '--out', 'x'], /784/],
    ['bad --latent', ['fit', '--latent', 'abc', '--out', 'x'], /--latent expects/],
    ['option the reducer lacks', ['fit', '--epochs', '3', '--out', 'x'], /reducer "pca" has no option "epochs"/],
    ['missing model folder', ['eval', 'no-such-dir'], /no-such-dir does not exist/],
  ];
  for (const [name, args, pattern] of cases) {
    it(name, async () => {
      const dir = await tempDir();
      const r = await cli(args, { cwd: dir });
      expect(r.code).not.toBe(0);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^latentkit: /);
      expect(lines[0]).toMatch(pattern);
      expect(await readdir(dir)).toEqual([]);
    });
  }

  it('a bundle of another format version is refused naming the versions', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'm'));
    await writeFile(join(dir, 'm', 'manifest.json'), JSON.stringify({ format: 'latentkit-bundle', formatVersion: 7 }));
    const r = await cli(['eval', 'm'], { cwd: dir });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/format version 7 is not supported \(this latentkit reads version 1\)/);
  });

  it('list names the built-in reducers and data sources', async () => {
    const r = await cli(['list', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.reducers.map((x: { kind: string }) => x.kind)).toContain('pca');
    expect(out.data.map((x: { name: string }) => x.name)).toContain('fashion-mnist');
  });
});
