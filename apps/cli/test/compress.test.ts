import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '@latentkit/core';
import { parseNpy } from '@latentkit/data';
import { cli, float32Npy, tempDir } from './helpers.js';

/** A float32 .npy of n 8×8 images near a rank-3 subspace, rounded to 8-bit grey levels. */
function imagesNpy(n: number): Uint8Array {
  const rng = createRng(5);
  const basis = Array.from({ length: 3 }, () => Array.from({ length: 64 }, () => rng.normal() * 0.1));
  const values = new Float32Array(n * 64);
  for (let i = 0; i < n; i++) {
    const c = [rng.normal(), rng.normal(), rng.normal()];
    for (let j = 0; j < 64; j++) values[i * 64 + j] = Math.round(Math.min(1, Math.max(0, 0.5 + c.reduce((t, v, k) => t + v * basis[k]![j]!, 0))) * 255) / 255;
  }
  return float32Npy(values, [n, 8, 8]);
}

describe('latentkit compress / decompress / rd', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await tempDir();
    await writeFile(join(dir, 'digits.npy'), imagesNpy(250));
    for (const d of ['3', '2']) {
      const r = await cli(['fit', '--data', 'npy:digits.npy', '--reducer', 'pca', '--latent', d, '--out', `pca${d}`, '--quiet'], { cwd: dir });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
  });

  it('compresses the test split below PNG and gzip, and decompresses it to .npy and .png', async () => {
    const c = await cli(['compress', 'pca3', '--bits', '6', '--out', 'codes.lkz', '--json', '--quiet'], { cwd: dir });
    expect(c.stderr).toBe('');
    expect(c.code).toBe(0);
    const out = JSON.parse(c.stdout);
    const file = await readFile(join(dir, 'codes.lkz'));
    expect(out).toMatchObject({ latentDim: 3, bits: 6, bytes: file.length });
    expect(out.bitsPerImage).toBeCloseTo((file.length * 8) / out.images, 9);
    expect(out.baselines.map((b: { name: string }) => b.name)).toEqual(['PNG (8-bit grey, per image)', 'gzip (per image)', 'gzip (whole set)']);
    for (const b of out.baselines) expect(out.bitsPerImage).toBeLessThan(b.bitsPerImage);
    expect(out.psnr).toBeGreaterThan(15);

    const d = await cli(['decompress', 'codes.lkz', '--model', 'pca3', '--out', 'back.npy', '--quiet'], { cwd: dir });
    expect(d.stderr).toBe('');
    const npy = parseNpy(await readFile(join(dir, 'back.npy')));
    expect(npy.shape).toEqual([out.images, 64]);
    const p = await cli(['decompress', 'codes.lkz', '--model', 'pca3', '--out', 'back.png', '--n', '10', '--quiet'], { cwd: dir });
    expect(p.stderr).toBe('');
    const png = decode(await readFile(join(dir, 'back.png')));
    // ten 8×8 images at scale 2 in one row
    expect(png.width).toBeGreaterThan(10 * 16);
    expect(png.height).toBeLessThan(2 * 16 + 10);
  });

  it('refuses another model, a damaged file and a bad --bits in one line (after the file above is written)', async () => {
    const other = await cli(['decompress', 'codes.lkz', '--model', 'pca2', '--out', 'x.npy'], { cwd: dir });
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/^latentkit: codes\.lkz was written by a pca model with d=3.*differs in latentDim \(2\)\n$/);
    const bytes = await readFile(join(dir, 'codes.lkz'));
    await writeFile(join(dir, 'cut.lkz'), bytes.subarray(0, bytes.length - 3));
    const cut = await cli(['decompress', 'cut.lkz', '--model', 'pca3', '--out', 'x.npy'], { cwd: dir });
    expect(cut.stderr).toMatch(/^latentkit: cut\.lkz: payload is \d+ bytes, the header says \d+ \(truncated or padded\)\n$/);
    const bits = await cli(['compress', 'pca3', '--bits', '9', '--out', 'x.lkz'], { cwd: dir });
    expect(bits.stderr).toMatch(/^latentkit: --bits .*9/);
  });

  it('rd writes the table, JSON and figure, with PSNR growing with b and d', async () => {
    const r = await cli(['rd', '--data', 'npy:digits.npy', '--reducers', 'pca', '--latents', '1,3', '--bits', '2,8', '--out', 'rd', '--quiet', '--json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(await readFile(join(dir, 'rd', 'rd.json'), 'utf8'));
    expect(json.rows.map((row: { latentDim: number; bits: number }) => [row.latentDim, row.bits])).toEqual([[1, 2], [1, 8], [3, 2], [3, 8]]);
    const psnrOf = (d: number, b: number) => json.rows.find((row: { latentDim: number; bits: number }) => row.latentDim === d && row.bits === b).psnr;
    expect(psnrOf(1, 8)).toBeGreaterThan(psnrOf(1, 2));
    expect(psnrOf(3, 8)).toBeGreaterThan(psnrOf(1, 8));
    expect(await readFile(join(dir, 'rd', 'rd.md'), 'utf8')).toContain('| PCA | 3 | 8 |');
    expect(await readFile(join(dir, 'rd', 'rd.svg'), 'utf8')).toMatch(/^<svg[\s\S]*PCA, b=8[\s\S]*<\/svg>$/);
  });
});
