import { LatentkitError, type Matrix, type RowBatch, type RowBatchSource } from '@latentkit/core';
import { splitMembership } from '@latentkit/data';

/**
 * Which rows of a source are test rows (1) or training rows (0): @latentkit/data's splitMembership, the very
 * decision its stratifiedSplit makes for the loaded file (stratified when `labels` are given, else one seeded
 * shuffle of 0..n−1 whose first round(test·n), or `test`, rows are held out), so `latentkit eval` on the loaded
 * file measures the same held-out rows as a streamed fit did. One byte per row (1 MB per million rows).
 */
export function testRowMask(n: number, test: number, seed: number, name: string, labels?: ArrayLike<number>): Uint8Array {
  return splitMembership(n, labels, { test, seed, name });
}

/**
 * The class of every row of a source with a label column, in one read (4 bytes per row), so that a streamed
 * split can be stratified like the in-memory one; undefined when the source has no labels.
 */
export async function labelsOfSource(source: RowBatchSource, n: number, signal?: AbortSignal): Promise<Int32Array | undefined> {
  if (!source.labelNames) return undefined;
  const labels = new Int32Array(n);
  let seen = 0;
  for await (const batch of source.batches(signal ? { signal } : {})) {
    if (!batch.labels) return undefined;
    if (batch.offset + batch.labels.length > n) throw new LatentkitError('E_INPUT_FORMAT', `${source.name} gave more rows than the ${n} its header declares`);
    labels.set(batch.labels, batch.offset);
    seen += batch.labels.length;
  }
  if (seen !== n) throw new LatentkitError('E_INPUT_FORMAT', `${source.name} gave ${seen} rows, but its header declares ${n}`);
  return labels;
}

/** Rows of a batch whose mask entry equals `keep` (a copy), or the batch itself when all of them do. */
function selectRows(batch: RowBatch, mask: Uint8Array, keep: number): Matrix {
  const { x, offset } = batch;
  let count = 0;
  for (let r = 0; r < x.rows; r++) if (mask[offset + r] === keep) count++;
  if (count === x.rows) return x;
  const data = new Float32Array(count * x.cols);
  let at = 0;
  for (let r = 0; r < x.rows; r++) {
    if (mask[offset + r] !== keep) continue;
    data.set(x.data.subarray(r * x.cols, (r + 1) * x.cols), at * x.cols);
    at++;
  }
  return { data, rows: count, cols: x.cols };
}

/**
 * The train (mask 0) or test (mask 1) rows of a source, as a source of their own: each pass re-reads the
 * whole source and keeps those rows, renumbered from 0. Labels and ids are not carried (a fit needs rows).
 */
export function maskedRowSource(source: RowBatchSource, mask: Uint8Array, part: 'train' | 'test'): RowBatchSource {
  const keep = part === 'test' ? 1 : 0;
  let rows = 0;
  for (const m of mask) if (m === keep) rows++;
  return {
    name: `${source.name} (${part} rows)`,
    cols: source.cols,
    rows,
    ...(source.imageShape ? { imageShape: source.imageShape } : {}),
    async *batches(options) {
      let offset = 0;
      for await (const batch of source.batches(options)) {
        if (batch.offset + batch.x.rows > mask.length) {
          throw new LatentkitError('E_INPUT_FORMAT', `${source.name} gave more rows than the ${mask.length} its header declares`);
        }
        const x = selectRows(batch, mask, keep);
        if (x.rows === 0) continue;
        yield { x, offset };
        offset += x.rows;
      }
    },
  };
}
