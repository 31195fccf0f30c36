// `fit` streams a file read in batches when the reducer declares "fit-stream" — bracketed table specs from
// --columns / --label-column included — holds out the rows `eval` reloads, and never replaces its input.
import { copyFile, mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';

const PARQUET = fileURLToPath(new URL('../../../packages/data/src/__fixtures__/tables/embeddings.zstd.parquet', import.meta.url));

let cwd: string;
beforeAll(async () => {
  cwd = await tempDir();
});

describe('fit from a stream', () => {
  it('streams parquet with --columns and --label-column, and eval measures the same held-out MSE', async () => {
    const fit = await cli(['fit', '--reducer', 'pca', '--data', `parquet:${PARQUET}`, '--columns', 'vec,h', '--label-column', 'label', '--latent', '2', '--out', 'm'], { cwd });
    expect(fit.code, fit.stderr).toBe(0);
    expect(fit.stderr).toContain(`reading parquet[columns=vec,h;label=label]:${PARQUET} in batches`);
    const metrics = JSON.parse(await readFile(join(cwd, 'm', 'metrics.json'), 'utf8')) as { test: { n: number; mse: number } };
    const evaluated = await cli(['eval', 'm', '--json'], { cwd });
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const report = JSON.parse(evaluated.stdout) as { test: { n: number; mse: number } };
    expect(report.test.n).toBe(metrics.test.n);
    expect(report.test.mse / metrics.test.mse).toBeCloseTo(1, 6);
  });

  it('refuses an --out folder holding the parquet input, even with --force, and keeps the file', async () => {
    const folder = join(cwd, 'inputs');
    await mkdir(folder, { recursive: true });
    const input = join(folder, 'e.parquet');
    await copyFile(PARQUET, input);
    const r = await cli(['fit', '--reducer', 'pca', '--data', 'parquet:inputs/e.parquet', '--columns', 'vec', '--latent', '2', '--out', 'inputs', '--force'], { cwd });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^latentkit: refusing to replace .*inputs \(--force\): it holds the input data .*e\.parquet/);
    expect((await stat(input)).size).toBe((await stat(PARQUET)).size);
  });
});
