import { spawnSync } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RowBatchSource } from '@latentkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRejectsLatentkit } from '../__fixtures__/expect-error.js';
import { EXPECTED, expectedRow, TABLES_DIR } from './__fixtures__/tables.js';
import { collectDataset } from '../rows/collect.js';
import { openRowSource, type RowSourceOptions } from './row-source.js';
import { dataSourceFiles, loadDataSource } from './source.js';

// Every file here was written by another implementation than the reader's (see make-table-fixtures.mjs).
const FORMATS = [
  { format: 'arrow', file: 'embeddings.arrow', what: 'Arrow IPC file (flechette)' },
  { format: 'arrow', file: 'embeddings.arrows', what: 'Arrow IPC stream (flechette)' },
  { format: 'parquet', file: 'embeddings.snappy.parquet', what: 'Parquet, snappy, row groups of 10 (arrow-rs)' },
  { format: 'parquet', file: 'embeddings.zstd.parquet', what: 'Parquet, zstd, row groups of 10 (arrow-rs)' },
] as const;

const FEATURES = ['vec', 'h', 'f32', 'f64', 'u8', 'lst'] as const;
const ALL_NUMERIC = ['label_int', 'vec', 'h', 'f32', 'f64', 'u8', 'lst'] as const;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lk-table-rows-'));
  if (process.platform !== 'win32') spawnSync('mkfifo', [join(dir, 'pipe.arrow')]);
  await writeFile(join(dir, 'garbage.arrow'), 'this is not arrow data at all');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function readAll(source: RowBatchSource, batchRows: number) {
  const sizes: number[] = [];
  const rows: number[][] = [];
  const labels: number[] = [];
  const ids: string[] = [];
  for await (const b of source.batches({ batchRows })) {
    expect(b.offset).toBe(rows.length);
    sizes.push(b.x.rows);
    // + 0 turns -0 into 0: JSON (expected.json) cannot tell them apart.
    for (let r = 0; r < b.x.rows; r++) rows.push(Array.from(b.x.data.subarray(r * b.x.cols, (r + 1) * b.x.cols), (v) => v + 0));
    if (b.labels) labels.push(...b.labels);
    if (b.ids) ids.push(...b.ids);
  }
  return { sizes, rows, labels, ids };
}

describe.each(FORMATS)('$what: $file', ({ format, file }) => {
  const spec = (options?: RowSourceOptions) => openRowSource(`${format}:${join(TABLES_DIR, file)}`, options);

  it('yields every selected value as written (float16, float32, float64, uint8 as stored, fixed-size and plain lists), with labels and ids', async () => {
    const source = await spec({ columns: [...FEATURES], labelColumn: 'label', idColumn: 'id' });
    expect([source.rows, source.cols, source.name]).toEqual([EXPECTED.rows, 4 + 1 + 1 + 1 + 1 + 3, file.replace(/\.[a-z]+$/, '')]);
    expect(source.labelNames).toEqual([...EXPECTED.labelClasses].sort());
    const { sizes, rows, labels, ids } = await readAll(source, 5);
    expect(sizes.every((n) => n >= 1 && n <= 5)).toBe(true);
    expect(rows.length).toBe(EXPECTED.rows);
    rows.forEach((row, r) => expect(row).toEqual(expectedRow(r, FEATURES)));
    expect(labels.map((l) => source.labelNames![l])).toEqual(EXPECTED.columns.label);
    expect(ids).toEqual(EXPECTED.columns.id);
  });

  it('takes every numeric and vector column but the label and id by default, in file order', async () => {
    const source = await spec({ labelColumn: 'label', idColumn: 'id' });
    const { rows } = await readAll(source, 1000);
    expect(source.cols).toBe(12);
    rows.forEach((row, r) => expect(row).toEqual(expectedRow(r, ALL_NUMERIC)));
  });

  it('keeps whole-number labels as their class index, and picks single numeric columns', async () => {
    const source = await spec({ columns: ['f64', 'h'], labelColumn: 'label_int' });
    expect(source.labelNames).toEqual(['0', '1', '2', '3']);
    const { rows, labels } = await readAll(source, 7);
    expect(labels).toEqual(EXPECTED.columns.label_int);
    rows.forEach((row, r) => expect(row).toEqual(expectedRow(r, ['f64', 'h'])));
  });

  it('collects into a Dataset with labels, labelNames and ids', async () => {
    const d = await collectDataset(await spec({ columns: ['vec'], labelColumn: 'label', idColumn: 'id' }), { batchRows: 6 });
    expect([d.x.rows, d.x.cols]).toEqual([EXPECTED.rows, 4]);
    expect(Array.from(d.x.data.subarray(36 * 4))).toEqual(expectedRow(36, ['vec']));
    expect(Array.from(d.labels!, (l) => d.labelNames![l])).toEqual(EXPECTED.columns.label);
    expect(d.ids).toEqual(EXPECTED.columns.id);
  });

  it('refuses a missing column, a text column as features, a vector as labels, a column used twice, in one line naming the file', async () => {
    await expectRejectsLatentkit(spec({ columns: ['nope'] }), 'E_OPTION', new RegExp(`${file}: no column "nope" for the features; the file has id \\(.*\\), label .*vec`));
    await expectRejectsLatentkit(spec({ columns: ['vec', 'id'] }), 'E_INPUT_VALUE', /column "id" is .*, not numeric; features must be numbers or lists of numbers/);
    await expectRejectsLatentkit(spec({ labelColumn: 'vec' }), 'E_INPUT_VALUE', /label column "vec" is .*; a label column must hold strings or numbers/);
    await expectRejectsLatentkit(spec({ columns: ['f32'], labelColumn: 'f32' }), 'E_OPTION', /column "f32" cannot be both a feature and the label column/);
    await expectRejectsLatentkit(spec({ idColumn: 'missing' }), 'E_OPTION', /no column "missing" for the ids/);
  });

  it('refuses a truncated file in one line naming it', async () => {
    const bytes = await readFile(join(TABLES_DIR, file));
    const cut = join(dir, `cut-${file}`);
    await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const error = await openRowSource(`${format}:${cut}`, { columns: ['vec'] }).then(async (s) => { for await (const _ of s.batches()) void _; return undefined; }, (e: unknown) => e);
    expect(String((error as Error)?.message)).toMatch(new RegExp(`cut-${file.replace('.', '\\.')}: .*(truncated|not a readable)`));
    expect(String((error as Error).message)).not.toContain('\n');
  });
});

describe('table sources refuse what is not a regular table file', () => {
  it('a FIFO, a directory and a file that is not Arrow or Parquet', async () => {
    await expectRejectsLatentkit(openRowSource(`parquet:${join(dir, 'garbage.arrow')}`), 'E_INPUT_FORMAT', /garbage\.arrow: not a Parquet file \(missing PAR1 magic\)$/);
    if (process.platform !== 'win32') await expectRejectsLatentkit(openRowSource(`arrow:${join(dir, 'pipe.arrow')}`), 'E_IO', /pipe\.arrow: it is a FIFO \(named pipe\), not a regular file$/);
    await expectRejectsLatentkit(openRowSource(`arrow:${dir}`), 'E_IO', /it is a directory$/);
    await expectRejectsLatentkit(openRowSource(`arrow:${join(dir, 'garbage.arrow')}`), 'E_INPUT_FORMAT', /garbage\.arrow: not an Arrow IPC file or stream/);
  });

  it('a footer or message length larger than the file is refused before the reader allocates it', async () => {
    const patched = async (file: string, at: (n: number) => number, value: number) => {
      const bytes = new Uint8Array(await readFile(join(TABLES_DIR, file)));
      new DataView(bytes.buffer).setInt32(at(bytes.length), value, true);
      const path = join(dir, `lying-${file}`);
      await writeFile(path, bytes);
      return path;
    };
    const arrowFile = await patched('embeddings.arrow', (n) => n - 10, 2 ** 30);
    await expectRejectsLatentkit(openRowSource(`arrow:${arrowFile}`), 'E_INPUT_FORMAT', /lying-embeddings\.arrow: Arrow IPC footer declares 1073741824 bytes but the file holds \d+ between its magics$/);
    const stream = await patched('embeddings.arrows', () => 4, 2 ** 30);
    await expectRejectsLatentkit(openRowSource(`arrow:${stream}`), 'E_INPUT_FORMAT', /lying-embeddings\.arrows: truncated Arrow IPC stream: first message declares 1073741824 bytes, \d+ present$/);
    const parquet = await patched('embeddings.snappy.parquet', (n) => n - 8, 2 ** 30);
    await expectRejectsLatentkit(openRowSource(`parquet:${parquet}`), 'E_INPUT_FORMAT', /lying-embeddings\.snappy\.parquet: Parquet footer declares 1073741824 bytes but the file holds \d+ between its magics$/);
  });

  it('copies of the fixtures read the same wherever they live (no hidden state from the path)', async () => {
    await copyFile(join(TABLES_DIR, 'embeddings.arrow'), join(dir, 'copy.arrow'));
    const d = await collectDataset(await openRowSource(`arrow:${join(dir, 'copy.arrow')}`, { columns: ['h'] }));
    expect(Array.from(d.x.data)).toEqual(EXPECTED.columns.h.map(Math.fround));
    expect(d.name).toBe('copy');
  });
});

describe('loadDataSource on tables', () => {
  it('splits a table 80/20 stratified by its label column, ids following their rows, and names the file it reads', async () => {
    const path = join(TABLES_DIR, 'embeddings.snappy.parquet');
    const { train, test, source } = await loadDataSource(`parquet[columns=vec;label=label]:${path}`, { seed: 3, columns: { idColumn: 'id' } });
    expect(source).toContain(`parquet[columns=vec;label=label;id=id]:${path} (37×4), 30/7 split, seed 3`);
    expect([train.x.rows, test.x.rows, train.labelNames]).toEqual([30, 7, ['bird', 'cat', 'dog']]);
    for (const part of [train, test]) {
      const ids = (part as { ids?: string[] }).ids!;
      ids.forEach((id, k) => {
        const r = Number(id.slice(4));
        expect(Array.from(part.x.data.subarray(k * 4, k * 4 + 4))).toEqual(expectedRow(r, ['vec']));
        expect(part.labelNames![part.labels![k]!]).toBe(EXPECTED.columns.label[r]);
      });
    }
    expect(await dataSourceFiles('arrow[columns=a;label=b]:rel/x.arrow')).toEqual([join(process.cwd(), 'rel/x.arrow')]);
  });
});
