import { DataType, Precision, RecordBatchReader, type Field, type RecordBatch, type Vector } from 'apache-arrow';
import { throwIfAborted, type RowBatch, type RowBatchSource } from '@latentkit/core';
import { listRange, numericReader, describeArrowField } from './arrow-columns.js';
import { resolveBatchRows } from './batch-size.js';
import { idText, labelCoding, type LabelCoding } from './labels.js';
import { badValue, planColumns, ragged, type ColumnPlan, type FeatureColumn } from './table-columns.js';
import type { TableColumnOptions } from './table-options.js';
import { guardFormat } from './format-guard.js';

/**
 * What apache-arrow's RecordBatchReader.from reads: bytes or byte streams in a browser, a FileHandle in Node
 * (recognised, as apache-arrow does, by its `fd` and `stat()`; read by offset, a record batch at a time).
 */
export type ArrowInput =
  | Uint8Array
  | ArrayBuffer
  | Iterable<ArrayBufferView>
  | AsyncIterable<ArrayBufferView>
  | ReadableStream<ArrayBufferView>
  | { readonly fd: number; stat(): Promise<{ readonly size: number }> };

/** A fresh input for one pass, and how to release it when the pass ends (a Node file handle). */
export type OpenArrowInput = () => Promise<{ input: ArrowInput; close?: () => Promise<void> }>;

/**
 * An Arrow IPC file or stream as a row-batch source. `open` gives a fresh input for each pass (the file is
 * read again, a record batch at a time). Opening reads it once through, counting rows and gathering the label
 * column's classes; each pass then holds one record batch and one float32 batch of it.
 */
export async function openArrowRowSource(name: string, open: OpenArrowInput, options: TableColumnOptions = {}): Promise<RowBatchSource> {
  const first = await readerOf(name, open);
  let plan: ColumnPlan;
  try {
    const schema = first.schema.fields.map(describeArrowField);
    let firstBatch: RecordBatch | undefined | null;
    plan = await planColumns(name, schema, options, async (c) => {
      // A list column's width comes from its first row (a fixed-size list's from the schema).
      firstBatch ??= (await guardFormat(name, 'Arrow IPC file or stream', () => first.next())).value ?? null;
      if (!firstBatch || firstBatch.numRows === 0) return 1;
      const [s, e] = listRange(firstBatch.getChild(c.name)!.data[0]!, 0);
      return e - s;
    });
  } finally {
    await first.return?.();
  }
  // The pass that counts rows and finds the label classes.
  let rows = 0;
  const labelValues: unknown[] = [];
  await eachBatch(name, open, undefined, (b) => {
    rows += b.numRows;
    if (plan.label) {
      const v = b.getChild(plan.label)!;
      for (let r = 0; r < b.numRows; r++) labelValues.push(v.get(r));
    }
  });
  const coding = plan.label ? labelCoding(labelValues, name, plan.label) : undefined;
  return {
    name,
    cols: plan.cols,
    rows,
    ...(coding ? { labelNames: coding.labelNames } : {}),
    batches: (opts = {}) => arrowBatches(name, open, plan, coding, resolveBatchRows(opts.batchRows, plan.cols, name), opts.signal),
  };
}

async function* arrowBatches(name: string, open: OpenArrowInput, plan: ColumnPlan, coding: LabelCoding | undefined, batchRows: number, signal?: AbortSignal): AsyncIterable<RowBatch> {
  const reader = await readerOf(name, open);
  let offset = 0;
  try {
    for (;;) {
      throwIfAborted(signal, `reading ${name}`);
      const next = await guardFormat(name, 'Arrow IPC file or stream', () => reader.next());
      if (next.done) break;
      const b = next.value;
      for (let a = 0; a < b.numRows; a += batchRows) {
        throwIfAborted(signal, `reading ${name}`);
        const end = Math.min(b.numRows, a + batchRows);
        yield decodeRows(name, b, a, end, offset, plan, coding);
        offset += end - a;
      }
    }
  } finally {
    await reader.return?.();
  }
}

/** Rows [a, end) of one record batch as a RowBatch whose first row is row `offset` of the source. */
function decodeRows(name: string, b: RecordBatch, a: number, end: number, offset: number, plan: ColumnPlan, coding: LabelCoding | undefined): RowBatch {
  const n = end - a;
  const data = new Float32Array(n * plan.cols);
  for (const f of plan.features) writeFeature(name, b.getChild(f.name)!, f, a, end, offset, plan.cols, data);
  const batch: { x: RowBatch['x']; offset: number; labels?: Int32Array; ids?: string[] } = { x: { data, rows: n, cols: plan.cols }, offset };
  if (plan.label && coding) {
    const v = b.getChild(plan.label)!;
    batch.labels = Int32Array.from({ length: n }, (_, i) => coding.code(v.get(a + i), offset + i));
  }
  if (plan.id) {
    const v = b.getChild(plan.id)!;
    batch.ids = Array.from({ length: n }, (_, i) => idText(v.get(a + i), offset + i, name, plan.id!));
  }
  return batch;
}

function writeFeature(name: string, vec: Vector, f: FeatureColumn, a: number, end: number, offset: number, cols: number, out: Float32Array): void {
  const data = vec.data[0]!;
  const fail = (r: number, v: unknown) => badValue(name, f.name, offset + r - a, v);
  const rowNulls = data.nullCount > 0;
  if (f.kind === 'number') {
    const read = numericReader(data);
    for (let r = a; r < end; r++) {
      if (rowNulls && !data.getValid(r)) throw fail(r, null);
      const v = read(data.offset + r);
      if (!Number.isFinite(v)) throw fail(r, v);
      out[(r - a) * cols + f.offset] = v;
    }
    return;
  }
  const child = data.children[0]!;
  const width = f.width;
  const fixed = DataType.isFixedSizeList(data.type);
  const offsets = fixed ? undefined : (data.valueOffsets as ArrayLike<number | bigint>);
  const values = child.values as ArrayLike<number>;
  // Plain float and int elements without nulls are copied straight from the typed array (the common case:
  // embeddings as FixedSizeList<Float32>); float16, 64-bit ints and nullable elements go through numericReader.
  const direct = child.nullCount === 0 && !(values instanceof BigInt64Array || values instanceof BigUint64Array) && !(DataType.isFloat(child.type) && child.type.precision === Precision.HALF);
  const read = numericReader(child);
  for (let r = a; r < end; r++) {
    if (rowNulls && !data.getValid(r)) throw fail(r, null);
    const s = fixed ? (data.offset + r) * width : Number(offsets![data.offset + r]);
    const e = fixed ? s + width : Number(offsets![data.offset + r + 1]);
    if (e - s !== width) throw ragged(name, f.name, offset + r - a, e - s, width);
    const row = (r - a) * cols + f.offset;
    if (direct) {
      const base = child.offset + s;
      for (let j = 0; j < width; j++) {
        const v = values[base + j]!;
        if (v - v !== 0) throw fail(r, v); // NaN or ±Inf
        out[row + j] = v;
      }
      continue;
    }
    for (let j = 0; j < width; j++) {
      if (child.nullCount > 0 && !child.getValid(s + j)) throw fail(r, null);
      const v = read(child.offset + s + j);
      if (!Number.isFinite(v)) throw fail(r, v);
      out[row + j] = v;
    }
  }
}

async function eachBatch(name: string, open: OpenArrowInput, signal: AbortSignal | undefined, fn: (b: RecordBatch) => void): Promise<void> {
  const reader = await readerOf(name, open);
  try {
    for (;;) {
      throwIfAborted(signal, `reading ${name}`);
      const next = await guardFormat(name, 'Arrow IPC file or stream', () => reader.next());
      if (next.done) return;
      fn(next.value);
    }
  } finally {
    await reader.return?.();
  }
}

interface AnyReader {
  readonly schema: { readonly fields: Field[] };
  next(): Promise<IteratorResult<RecordBatch>> | IteratorResult<RecordBatch>;
  return?(): Promise<unknown> | unknown;
}

async function readerOf(name: string, open: OpenArrowInput): Promise<AnyReader> {
  const { input, close } = await open();
  try {
    const reader = await guardFormat(name, 'Arrow IPC file or stream', async () => {
      const r = await RecordBatchReader.from(input as Parameters<typeof RecordBatchReader.from>[0]);
      await r.open();
      return r as unknown as AnyReader;
    });
    return { schema: reader.schema, next: () => reader.next(), return: async () => { await reader.return?.(); await close?.(); } };
  } catch (e) {
    await close?.();
    throw e;
  }
}
