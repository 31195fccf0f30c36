import { parquetMetadataAsync, parquetRead, parquetSchema, type AsyncBuffer, type FileMetaData } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { memoryBudget, throwIfAborted, type RowBatch, type RowBatchSource } from '@latentkit/core';
import { checkMemory } from '../memory.js';
import { resolveBatchRows } from './batch-size.js';
import { idText, labelCoding, type LabelCoding } from './labels.js';
import { describeParquetColumn } from './parquet-columns.js';
import { badValue, planColumns, ragged, type ColumnPlan } from './table-columns.js';
import type { TableColumnOptions } from './table-options.js';
import { guardFormat } from './format-guard.js';

/**
 * What decoding holds per value while a row group is in memory: hyparquet's decoded JS values (8-byte numbers
 * in arrays) plus the float32 copy, rounded up for page buffers. Used to refuse row groups that cannot fit.
 */
const DECODED_BYTES_PER_VALUE = 16;

export interface ParquetSourceOptions extends TableColumnOptions {
  /** The most bytes one decoded row group may take (default: LATENTKIT_MAX_DATA_BYTES, else half of memory). */
  readonly maxBytes?: number;
}

/**
 * A Parquet file as a row-batch source, read with hyparquet (pure JS, browser-safe) from any AsyncBuffer: an
 * ArrayBuffer in a browser, a file handle in Node. The footer gives the rows and schema; the label column alone
 * is read once to find the classes. Each pass decodes one row group's selected columns at a time (Parquet's
 * unit of compression) and yields it in batches of at most `batchRows`. Snappy, gzip, zstd, brotli and LZ4
 * pages are decompressed (hyparquet-compressors).
 */
export async function openParquetRowSource(name: string, open: OpenParquetInput, options: ParquetSourceOptions = {}): Promise<RowBatchSource> {
  const { file, close } = await open();
  try {
    return await describeSource(name, open, file, options);
  } finally {
    await close?.();
  }
}

/** A fresh byte-range reader for one pass, and how to release it (a Node file handle) when the pass ends. */
export type OpenParquetInput = () => Promise<{ file: AsyncBuffer; close?: () => Promise<void> }>;

async function describeSource(name: string, open: OpenParquetInput, file: AsyncBuffer, options: ParquetSourceOptions): Promise<RowBatchSource> {
  const metadata = await guardFormat(name, 'Parquet file', () => parquetMetadataAsync(file));
  const tree = parquetSchema(metadata);
  const schema = tree.children.map(describeParquetColumn);
  const groups = rowGroups(metadata);
  const rows = groups.reduce((n, g) => n + g.rows, 0);
  const plan = await planColumns(name, schema, options, async (c) => {
    // A Parquet list has no fixed size: the first row's length sets the width, and every row is checked against it.
    if (rows === 0) return 1;
    const first = await readColumns(name, file, metadata, [c.name], 0, 1);
    return (first.get(c.name)![0] as ArrayLike<number> | null)?.length ?? 0;
  });
  const maxBytes = options.maxBytes ?? memoryBudget().bytes;
  groups.forEach((g, i) => checkMemory(name, `Parquet row group ${i} (${g.rows.toLocaleString('en-US')} rows × ${plan.cols} values, decoded)`, g.rows * plan.cols * DECODED_BYTES_PER_VALUE, maxBytes));
  let coding: LabelCoding | undefined;
  if (plan.label) {
    const values: unknown[] = [];
    for (const g of groups) for (const v of (await readColumns(name, file, metadata, [plan.label], g.start, g.start + g.rows)).get(plan.label)!) values.push(v);
    coding = labelCoding(values, name, plan.label);
  }
  return {
    name,
    cols: plan.cols,
    rows,
    ...(coding ? { labelNames: coding.labelNames } : {}),
    async *batches(opts = {}): AsyncIterable<RowBatch> {
      const batchRows = resolveBatchRows(opts.batchRows, plan.cols, name);
      const wanted = [...plan.features.map((f) => f.name), ...(plan.label ? [plan.label] : []), ...(plan.id ? [plan.id] : [])];
      const pass = await open();
      try {
        for (const g of groups) {
          throwIfAborted(opts.signal, `reading ${name}`);
          if (g.rows === 0) continue;
          const columns = await readColumns(name, pass.file, metadata, wanted, g.start, g.start + g.rows);
          for (let a = 0; a < g.rows; a += batchRows) {
            throwIfAborted(opts.signal, `reading ${name}`);
            yield decodeRows(name, columns, a, Math.min(g.rows, a + batchRows), g.start, plan, coding);
          }
        }
      } finally {
        await pass.close?.();
      }
    },
  };
}

function rowGroups(metadata: FileMetaData): { start: number; rows: number }[] {
  let start = 0;
  return metadata.row_groups.map((g) => {
    const out = { start, rows: Number(g.num_rows) };
    start += out.rows;
    return out;
  });
}

/** Rows [a, end) of a decoded row group starting at source row `groupStart`. */
function decodeRows(name: string, columns: Map<string, unknown[]>, a: number, end: number, groupStart: number, plan: ColumnPlan, coding: LabelCoding | undefined): RowBatch {
  const n = end - a;
  const { cols } = plan;
  const data = new Float32Array(n * cols);
  for (const f of plan.features) {
    const values = columns.get(f.name)!;
    for (let r = a; r < end; r++) {
      const row = groupStart + r;
      const v = values[r];
      const at = (r - a) * cols + f.offset;
      if (f.kind === 'number') {
        const x = toNumber(v);
        if (!Number.isFinite(x)) throw badValue(name, f.name, row, v);
        data[at] = x;
        continue;
      }
      const list = v as ArrayLike<unknown> | null | undefined;
      if (list === null || list === undefined) throw badValue(name, f.name, row, null);
      if (list.length !== f.width) throw ragged(name, f.name, row, list.length, f.width);
      for (let j = 0; j < f.width; j++) {
        const x = toNumber(list[j]);
        if (!Number.isFinite(x)) throw badValue(name, f.name, row, list[j]);
        data[at + j] = x;
      }
    }
  }
  const offset = groupStart + a;
  const batch: { x: RowBatch['x']; offset: number; labels?: Int32Array; ids?: string[] } = { x: { data, rows: n, cols }, offset };
  if (plan.label && coding) {
    const values = columns.get(plan.label)!;
    batch.labels = Int32Array.from({ length: n }, (_, i) => coding.code(values[a + i], offset + i));
  }
  if (plan.id) {
    const values = columns.get(plan.id)!;
    batch.ids = Array.from({ length: n }, (_, i) => idText(values[a + i], offset + i, name, plan.id!));
  }
  return batch;
}

function toNumber(v: unknown): number {
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : NaN;
}

/** The named columns of rows [start, end) (within one row group), each as one array indexed from `start`. */
async function readColumns(name: string, file: AsyncBuffer, metadata: FileMetaData, columns: string[], start: number, end: number): Promise<Map<string, unknown[]>> {
  const out = new Map(columns.map((c) => [c, new Array<unknown>(end - start)]));
  await guardFormat(name, 'Parquet file', () =>
    parquetRead({
      file,
      metadata,
      compressors,
      columns,
      rowStart: start,
      rowEnd: end,
      onChunk: ({ columnName, columnData, rowStart }) => {
        const target = out.get(columnName)!;
        for (let i = 0; i < columnData.length; i++) {
          const r = rowStart + i - start;
          if (r >= 0 && r < target.length) target[r] = columnData[i];
        }
      },
    }),
  );
  return out;
}
