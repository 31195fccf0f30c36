import { createRng, LatentkitError, type Matrix, type RowBatch, type RowBatchSource } from '@latentkit/core';

/**
 * Which rows of an unlabelled source are test rows, chosen as @latentkit/data's stratifiedSplit chooses them
 * for rows without labels (one seeded shuffle of 0..n−1; the first round(test·n), or `test` rows, are the test
 * set), so `latentkit eval` on the loaded file measures the same held-out rows as a streamed fit did.
 * One byte per row (1 MB per million rows); the shuffle's 4 bytes per row are freed before any batch is read.
 */
export function testRowMask(n: number, test: number, seed: number, name: string): Uint8Array {
  const count = test > 0 && test < 1 ? Math.round(test * n) : test;
  if (!Number.isInteger(count) || count < 1 || count >= n) {
    throw new LatentkitError('E_OPTION', `cannot split ${n} rows of "${name}" with test=${test}: need a count in [1, ${n - 1}] or a fraction in (0, 1) that leaves rows on both sides`);
  }
  const order = createRng(seed).permutation(n);
  const mask = new Uint8Array(n);
  for (let i = 0; i < count; i++) mask[order[i]!] = 1;
  return mask;
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
