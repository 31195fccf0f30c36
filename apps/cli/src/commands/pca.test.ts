// `latentkit pca stats|merge|fit-stats` and the streamed `fit` on an NPY file, run as a user runs them.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '@latentkit/core';
import { accumulatePcaStats, decodePcaStats } from '@latentkit/pca';
import { cli, tempDir } from '../../test/helpers.js';

/** A float32 C-order NPY file of the given rows. */
function npy(rows: Float32Array, n: number, D: number): Uint8Array {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${n}, ${D}), }`;
  while ((10 + header.length + 1) % 64 !== 0) header += ' ';
  header += '\n';
  const out = new Uint8Array(10 + header.length + rows.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(rows.buffer, rows.byteOffset, rows.byteLength), 10 + header.length);
  return out;
}

/** Rank-3 signal plus noise around a non-zero mean. */
function rows(n: number, D: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const basis = Array.from({ length: 3 }, () => Array.from({ length: D }, () => rng.normal()));
  const x = new Float32Array(n * D);
  for (let r = 0; r < n; r++) {
    const w = [3, 2, 1].map((s) => s * rng.normal());
    for (let j = 0; j < D; j++) x[r * D + j] = 0.5 + w[0]! * basis[0]![j]! + w[1]! * basis[1]![j]! + w[2]! * basis[2]![j]! + 0.1 * rng.normal();
  }
  return x;
}

describe('PCA from streamed rows and from shard statistics (CLI)', () => {
  let dir: string;
  const n = 3000, D = 12, split = 1100;
  const x = rows(n, D, 5);
  beforeAll(async () => {
    dir = await tempDir();
    await writeFile(join(dir, 'x.npy'), npy(x, n, D));
    await writeFile(join(dir, 'a.npy'), npy(x.subarray(0, split * D), split, D));
    await writeFile(join(dir, 'b.npy'), npy(x.subarray(split * D), n - split, D));
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('merges two shards\' statistics into those of the whole file, and fits a model folder `eval` loads', async () => {
    for (const [data, out] of [['npy:a.npy', 'a.st'], ['npy:b.npy', 'b.st']]) {
      const r = await cli(['pca', 'stats', '--data', data!, '--out', out!, '--quiet'], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
    }
    const merged = await cli(['pca', 'merge', 'a.st', 'b.st', '--out', 'ab.st'], { cwd: dir });
    expect(merged.stdout).toContain(`merged 2 statistics files: ${n.toLocaleString('en')} rows × ${D} features`);
    const ab = decodePcaStats(await readFile(join(dir, 'ab.st')), 'ab.st');
    const whole = await accumulatePcaStats({ name: 'x', cols: D, rows: n, batches: async function* () { yield { x: { data: x, rows: n, cols: D }, offset: 0 }; } });
    expect(ab.n).toBe(whole.n);
    const scale = Math.max(...whole.xtx.map(Math.abs));
    for (let i = 0; i < whole.xtx.length; i++) expect(Math.abs(ab.xtx[i]! - whole.xtx[i]!) / scale).toBeLessThan(1e-9);
    const fit = await cli(['pca', 'fit-stats', 'ab.st', '--latent', '3', '--out', 'm-stats', '--json'], { cwd: dir });
    expect(fit.code, fit.stderr).toBe(0);
    const metrics = JSON.parse(fit.stdout) as { train: { n: number; mse: number }; explainedVarianceRatio: number[] };
    expect(metrics.train.n).toBe(n);
    const evaluated = await cli(['eval', 'm-stats', '--data', 'npy:x.npy', '--json'], { cwd: dir });
    expect(evaluated.code, evaluated.stderr).toBe(0);
    // Rank 3 plus noise 0.1: three components leave the noise, σ² = 0.01 per feature.
    expect(metrics.train.mse).toBeGreaterThan(0.006);
    expect(metrics.train.mse).toBeLessThan(0.014);
    expect(metrics.explainedVarianceRatio.reduce((a, b) => a + b, 0)).toBeGreaterThan(0.99);
  }, 120_000);

  it('refuses statistics of different widths in one line naming both files', async () => {
    await writeFile(join(dir, 'narrow.npy'), npy(rows(50, 4, 1), 50, 4));
    expect((await cli(['pca', 'stats', '--data', 'npy:narrow.npy', '--out', 'narrow.st', '--quiet'], { cwd: dir })).code).toBe(0);
    const r = await cli(['pca', 'merge', 'ab.st', 'narrow.st', '--out', 'bad.st'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^latentkit: narrow\.st holds statistics of 4 features, ab\.st of 12: they are not shards of one data set$/);
  }, 120_000);

  it('fits PCA on an NPY file as a stream; `eval` of the saved model measures the same held-out rows', async () => {
    const fit = await cli(['fit', '--data', 'npy:x.npy', '--reducer', 'pca', '--latent', '3', '--seed', '4', '--out', 'm', '--json'], { cwd: dir });
    expect(fit.code, fit.stderr).toBe(0);
    const metrics = JSON.parse(fit.stdout) as { train: { n: number; mse: number }; test: { n: number; mse: number } };
    expect(metrics.train.n + metrics.test.n).toBe(n);
    expect(metrics.test.n).toBe(600);
    const evaluated = await cli(['eval', 'm', '--json'], { cwd: dir });
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const e = JSON.parse(evaluated.stdout) as { test: { n: number; mse: number } };
    // The fit's MSE comes from the held-out rows' statistics, eval's from reconstructing them: the same rows.
    expect(e.test.n).toBe(metrics.test.n);
    expect(e.test.mse / metrics.test.mse).toBeCloseTo(1, 5);
  }, 120_000);
});
