import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDataset, type RowBatch, type RowBatchSource } from '@latentkit/core';
import { Field, FixedSizeList, Float32, List, makeData, makeVector, Struct, Table, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { expectLatentkitError, expectRejectsLatentkit } from '../__fixtures__/expect-error.js';
import { EXPECTED, expectedRow, TABLES_DIR } from '../node/__fixtures__/tables.js';
import { openArrowRowSource } from './arrow-rows.js';
import { collectDataset } from './collect.js';
import { labelCoding, MAX_LABEL_CLASSES } from './labels.js';
import { datasetRowSource } from './memory-source.js';
import { openParquetRowSource } from './parquet-rows.js';

async function all(source: RowBatchSource, batchRows?: number): Promise<RowBatch[]> {
  const out: RowBatch[] = [];
  for await (const b of source.batches(batchRows ? { batchRows } : {})) out.push(b);
  return out;
}

const inMemoryArrow = (bytes: Uint8Array) => async () => ({ input: bytes });

describe('datasetRowSource', () => {
  const d = createDataset({ name: 'toy', x: { data: Float32Array.from({ length: 14 }, (_, i) => i), rows: 7, cols: 2 }, labels: Int32Array.from([0, 1, 0, 1, 0, 1, 0]), labelNames: ['a', 'b'] });

  it('yields views of the rows with labels and ids, in batches of batchRows', async () => {
    const batches = await all(datasetRowSource(d, { ids: ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6'] }), 3);
    expect(batches.map((b) => [b.offset, b.x.rows, b.x.data[0], b.labels![0], b.ids![0]])).toEqual([
      [0, 3, 0, 0, 'r0'],
      [3, 3, 6, 1, 'r3'],
      [6, 1, 12, 0, 'r6'],
    ]);
  });

  it('refuses ids of the wrong length and batchRows that is not a positive whole number', async () => {
    expectLatentkitError(() => datasetRowSource(d, { ids: ['x'] }), 'E_SHAPE', /toy: 1 ids for 7 rows/);
    await expectRejectsLatentkit(all(datasetRowSource(d), 0.5), 'E_OPTION', /batchRows must be a positive whole number, got 0\.5/);
  });
});

describe('collectDataset', () => {
  it('gathers a source of unknown length by growing, and plans the memory of one of known length first', async () => {
    const d = createDataset({ name: 'toy', x: { data: Float32Array.from({ length: 10 }, (_, i) => i * 1.5), rows: 5, cols: 2 } });
    const known = datasetRowSource(d);
    const unknown: RowBatchSource = { name: known.name, cols: 2, batches: known.batches };
    const back = await collectDataset(unknown, { batchRows: 2 });
    expect(Array.from(back.x.data)).toEqual(Array.from(d.x.data));
    await expectRejectsLatentkit(collectDataset(known, { maxBytes: 39 }), 'E_INPUT_FORMAT', /toy: 5×2 float32 rows needs 40 bytes .* more than the limit of 39 bytes/);
    await expectRejectsLatentkit(collectDataset(unknown, { maxBytes: 20, batchRows: 2 }), 'E_INPUT_FORMAT', /toy: 4×2 float32 rows needs 32 bytes/);
  });

  it('stops when the signal is aborted', async () => {
    const d = createDataset({ name: 'toy', x: { data: new Float32Array(8), rows: 4, cols: 2 } });
    const controller = new AbortController();
    controller.abort();
    await expectRejectsLatentkit(collectDataset(datasetRowSource(d), { signal: controller.signal }), 'E_ABORTED', /reading toy was cancelled/);
  });
});

describe('labelCoding', () => {
  it('keeps whole numbers 0…K−1 as indices and sorts names (numerically when they all are numbers)', () => {
    const ints = labelCoding([2, 0, 2n, 1], 'f', 'y');
    expect([ints.labelNames, ints.code(2n, 0), ints.code(0, 1)]).toEqual([['0', '1', '2'], 2, 0]);
    const names = labelCoding(['dog', 'cat', 'bird', 'cat'], 'f', 'y');
    expect([names.labelNames, names.code('cat', 0)]).toEqual([['bird', 'cat', 'dog'], 1]);
    const floats = labelCoding([10, -1, 2.5], 'f', 'y');
    expect([floats.labelNames, floats.code(10, 0)]).toEqual([['-1', '2.5', '10'], 2]);
  });

  it('refuses a missing label and a column with too many classes to be labels', () => {
    expectLatentkitError(() => labelCoding(['a', null, 'b'], 'f.parquet', 'y'), 'E_INPUT_VALUE', /f\.parquet: label at row 1 of column "y" is missing \(null\)$/);
    const many = Array.from({ length: MAX_LABEL_CLASSES + 1 }, (_, i) => `id${i}`);
    expectLatentkitError(() => labelCoding(many, 'f', 'y'), 'E_INPUT_VALUE', /label column "y" has more than 65536 distinct values; an identifier belongs in --id-column$/);
  });
});

describe('openArrowRowSource on bytes (browser-safe)', () => {
  it('reads the fixture from memory the same as from a file', async () => {
    const bytes = new Uint8Array(readFileSync(join(TABLES_DIR, 'embeddings.arrow')));
    const d = await collectDataset(await openArrowRowSource('emb', inMemoryArrow(bytes), { columns: ['vec'], labelColumn: 'label_int' }));
    expect(Array.from(d.x.data.subarray(0, 4))).toEqual(expectedRow(0, ['vec']));
    expect(Array.from(d.labels!)).toEqual(EXPECTED.columns.label_int);
  });

  it('refuses a null feature, a ragged list column and a missing id, naming column and row', async () => {
    const withNull = tableToIPC(new Table({ x: vectorFromArray([1, null, 3], new Float32()) }));
    await expectRejectsLatentkit(collectDataset(await openArrowRowSource('n.arrow', inMemoryArrow(withNull))), 'E_INPUT_VALUE', /n\.arrow: column "x" has a missing value \(null\) at row 1$/);
    const ragged = tableToIPC(new Table({ v: vectorFromArray([[1, 2], [3, 4], [5]], new List(new Field('item', new Float32(), true))) }));
    await expectRejectsLatentkit(collectDataset(await openArrowRowSource('r.arrow', inMemoryArrow(ragged))), 'E_INPUT_VALUE', /r\.arrow: vector column "v" has 1 values at row 2 but 2 in its first row/);
    const ids = tableToIPC(new Table({ x: vectorFromArray([1, 2], new Float32()), k: vectorFromArray(['a', null], new Utf8()) }));
    await expectRejectsLatentkit(collectDataset(await openArrowRowSource('i.arrow', inMemoryArrow(ids), { idColumn: 'k' })), 'E_INPUT_VALUE', /i\.arrow: id at row 1 of column "k" is missing \(null\)$/);
    const fixed = new FixedSizeList(2, new Field('item', new Float32(), true));
    const nested = tableToIPC(new Table({ s: makeVector(makeData({ type: new Struct([new Field('a', new Float32())]), length: 1, nullCount: 0, children: [makeData({ type: new Float32(), length: 1, data: new Float32Array([1]) })] })), f: vectorFromArray([[1, 2]], fixed) }));
    await expectRejectsLatentkit(openArrowRowSource('s.arrow', inMemoryArrow(nested), { columns: ['s'] }), 'E_INPUT_VALUE', /s\.arrow: column "s" is Struct<\{a:Float32\}>, not numeric/);
  });

  it('names garbage bytes as not Arrow', async () => {
    await expectRejectsLatentkit(openArrowRowSource('g.arrow', inMemoryArrow(new TextEncoder().encode('not arrow at all, really'))), 'E_INPUT_FORMAT', /^g\.arrow: not a readable Arrow IPC file or stream/);
  });
});

describe('openParquetRowSource on an ArrayBuffer (browser-safe)', () => {
  const bytes = readFileSync(join(TABLES_DIR, 'embeddings.snappy.parquet'));
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const open = async () => ({ file: buffer });

  it('reads a row group at a time: batches never span row groups of 10', async () => {
    const batches = await all(await openParquetRowSource('emb', open, { columns: ['h'] }), 4);
    expect(batches.map((b) => b.x.rows)).toEqual([4, 4, 2, 4, 4, 2, 4, 4, 2, 4, 3]);
    expect(batches.flatMap((b) => Array.from(b.x.data))).toEqual(EXPECTED.columns.h.map(Math.fround));
  });

  it('refuses a row group that cannot be decoded within the memory limit, before reading it', async () => {
    await expectRejectsLatentkit(openParquetRowSource('emb', open, { columns: ['vec'], maxBytes: 500 }), 'E_INPUT_FORMAT', /emb: Parquet row group 0 \(10 rows × 4 values, decoded\) needs 640 bytes .* more than the limit of 500 bytes/);
  });

  it('names a corrupt file as not Parquet', async () => {
    const bad = new Uint8Array(buffer.slice(0));
    bad.fill(7, 4, bad.length - 8);
    await expectRejectsLatentkit(openParquetRowSource('bad', async () => ({ file: bad.buffer })), 'E_INPUT_FORMAT', /^bad: not a readable Parquet file/);
  });
});
