// Arrow and Parquet data through the CLI: --columns / --label-column / --id-column are recorded in the model's
// data spec, later commands reload the same columns, labels reach the figures and ids the run folder.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { isLatentkitError } from '@latentkit/core';
import { checkDataSpec, withColumnFlags } from '../src/flags.js';
import { cli, tempDir } from './helpers.js';

function expectLatentkitError(fn: () => unknown, code: string, message: RegExp): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(isLatentkitError(thrown), String(thrown)).toBe(true);
  expect((thrown as { code: string }).code).toBe(code);
  expect((thrown as Error).message).toMatch(message);
}

const TABLES = fileURLToPath(new URL('../../../packages/data/src/__fixtures__/tables/', import.meta.url));
const PARQUET = join(TABLES, 'embeddings.zstd.parquet');
const ARROW = join(TABLES, 'embeddings.arrow');

let cwd: string;
beforeAll(async () => {
  cwd = await tempDir();
});

describe('table data in the CLI', () => {
  it('fit records the columns in the data spec, eval reloads them, plot colours by the label column', async () => {
    const fit = await cli(['fit', '--data', `parquet:${PARQUET}`, '--columns', 'vec,h', '--label-column', 'label', '--id-column', 'id', '--reducer', 'pca', '--latent', '2', '--out', 'm', '--quiet', '--json'], { cwd });
    expect(fit.stderr).toBe('');
    expect(fit.code).toBe(0);
    const metrics = JSON.parse(await readFile(join(cwd, 'm', 'metrics.json'), 'utf8')) as { data: string; train: { n: number }; test: { n: number } };
    expect(metrics.data).toBe(`parquet[columns=vec,h;label=label;id=id]:${PARQUET}`);
    expect(metrics.train.n + metrics.test.n).toBe(37);
    const evaluated = await cli(['eval', 'm', '--json'], { cwd });
    expect(evaluated.code).toBe(0);
    const report = JSON.parse(evaluated.stdout) as { data: string; test: { n: number; mse: number } };
    expect(report.data).toBe(metrics.data);
    expect(report.test.n).toBe(metrics.test.n);
    const plot = await cli(['plot', 'm', '--what', 'latent', '--svg', 'latent.svg', '--quiet'], { cwd });
    expect(plot.code).toBe(0);
    const svg = await readFile(join(cwd, 'latent.svg'), 'utf8');
    for (const name of ['bird', 'cat', 'dog']) expect(svg).toContain(`>${name}<`);
  });

  it('compare writes the ids beside the labels in the run folder, in point order', async () => {
    const r = await cli(['compare', '--data', `arrow:${ARROW}`, '--columns', 'vec', '--label-column', 'label', '--id-column', 'id', '--reducers', 'pca', '--latent', '2', '--out', 'c', '--quiet'], { cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const ids = JSON.parse(await readFile(join(cwd, 'c', 'points', 'ids.json'), 'utf8')) as string[];
    const labels = new Int32Array((await readFile(join(cwd, 'c', 'points', 'labels.bin'))).buffer.slice(0));
    const run = JSON.parse(await readFile(join(cwd, 'c', 'run.json'), 'utf8')) as { data: { labelNames: string[] } };
    // The fixture's row i has id "row-<i>" and class ["dog", "cat", "bird"][i % 3].
    expect(ids.map((id, k) => run.data.labelNames[labels[k]!] === ['dog', 'cat', 'bird'][Number(id.slice(4)) % 3])).toEqual(ids.map(() => true));
    expect([...ids].sort()).toEqual(Array.from({ length: 37 }, (_, i) => `row-${String(i).padStart(3, '0')}`));
  });

  it('folds the column flags into table specs and refuses them elsewhere, in one line', () => {
    expect(withColumnFlags('parquet:x.parquet', { columns: ' a, b ', labelColumn: 'y' })).toBe('parquet[columns=a,b;label=y]:x.parquet');
    expect(withColumnFlags('arrow[columns=v;id=k]:x.arrow', { labelColumn: 'y' })).toBe('arrow[columns=v;label=y;id=k]:x.arrow');
    expect(withColumnFlags('npy:x.npy', {})).toBe('npy:x.npy');
    expectLatentkitError(() => withColumnFlags('npy:x.npy', { columns: 'a', idColumn: 'k' }), 'E_OPTION', /^--columns, --id-column apply to arrow:PATH and parquet:PATH data, not "npy:x\.npy"$/);
    expectLatentkitError(() => withColumnFlags('parquet:x.parquet', { columns: 'vec,,h' }), 'E_OPTION', /^--columns expects column names separated by commas, got "vec,,h"$/);
    expectLatentkitError(() => withColumnFlags('parquet:x.parquet', { columns: 'a,a' }), 'E_OPTION', /^--columns names "a" twice$/);
    expectLatentkitError(() => withColumnFlags('parquet:x.parquet', { labelColumn: ' ' }), 'E_OPTION', /^--label-column expects a column name/);
    expectLatentkitError(() => checkDataSpec('parquet[label=a;bogus]:x'), 'E_OPTION', /unknown option "bogus"/);
    expect(checkDataSpec('arrow[columns=a]:x.arrow')).toBe('arrow[columns=a]:x.arrow');
  });

  it('refuses a text column as features and a missing label column in one line naming the file', async () => {
    const cases: [string[], RegExp][] = [
      [['fit', '--data', `parquet:${PARQUET}`, '--columns', 'label', '--out', 'x'], /^latentkit: .*embeddings\.zstd\.parquet: column "label" is BYTE_ARRAY \(STRING\), not numeric; .*\n$/],
      [['fit', '--data', `arrow:${ARROW}`, '--label-column', 'species', '--out', 'x'], /^latentkit: .*embeddings\.arrow: no column "species" for the labels; the file has id \(Utf8\), .*\n$/],
    ];
    for (const [args, message] of cases) {
      const r = await cli([...args, '--quiet'], { cwd });
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(message);
    }
  });
});
