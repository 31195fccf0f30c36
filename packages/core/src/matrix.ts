import { LatentkitError } from './errors.js';

/** A dense row-major float32 matrix: row i is data[i*cols .. (i+1)*cols). */
export interface Matrix {
  readonly data: Float32Array;
  readonly rows: number;
  readonly cols: number;
}

export function createMatrix(rows: number, cols: number, data?: Float32Array | ArrayLike<number>): Matrix {
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
    throw new LatentkitError('E_SHAPE', `invalid matrix shape ${rows}×${cols}`);
  }
  const buf = data === undefined ? new Float32Array(rows * cols) : data instanceof Float32Array ? data : Float32Array.from(data);
  if (buf.length !== rows * cols) {
    throw new LatentkitError('E_SHAPE', `matrix data has ${buf.length} values, expected ${rows}×${cols} = ${rows * cols}`);
  }
  return { data: buf, rows, cols };
}

/** A view (no copy) of row i. */
export function row(m: Matrix, i: number): Float32Array {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols);
}

/** Rows [start, end) as a view (no copy). */
export function sliceRows(m: Matrix, start: number, end: number): Matrix {
  const s = Math.max(0, Math.min(start, m.rows));
  const e = Math.max(s, Math.min(end, m.rows));
  return { data: m.data.subarray(s * m.cols, e * m.cols), rows: e - s, cols: m.cols };
}

/** A copy holding the given rows in the given order. */
export function selectRows(m: Matrix, indices: ArrayLike<number>): Matrix {
  const out = new Float32Array(indices.length * m.cols);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]!;
    if (i < 0 || i >= m.rows) throw new LatentkitError('E_SHAPE', `row index ${i} out of range [0, ${m.rows})`);
    out.set(m.data.subarray(i * m.cols, (i + 1) * m.cols), k * m.cols);
  }
  return { data: out, rows: indices.length, cols: m.cols };
}

/** Stacks matrices with equal column counts vertically. */
export function concatRows(parts: readonly Matrix[]): Matrix {
  if (parts.length === 0) throw new LatentkitError('E_EMPTY', 'nothing to concatenate');
  const cols = parts[0]!.cols;
  let rows = 0;
  for (const p of parts) {
    if (p.cols !== cols) throw new LatentkitError('E_SHAPE', `cannot stack a ${p.cols}-column matrix onto ${cols} columns`);
    rows += p.rows;
  }
  const out = new Float32Array(rows * cols);
  let off = 0;
  for (const p of parts) {
    out.set(p.data, off);
    off += p.data.length;
  }
  return { data: out, rows, cols };
}

/** Throws E_INPUT_VALUE naming the first non-finite entry. */
export function assertFinite(m: Matrix, what = 'input'): void {
  const d = m.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (!Number.isFinite(v)) {
      const r = Math.floor(i / m.cols);
      throw new LatentkitError('E_INPUT_VALUE', `${what} has a non-finite value (${v}) at row ${r}, column ${i - r * m.cols}`);
    }
  }
}

/** Throws E_SHAPE unless m has the expected number of columns. */
export function assertCols(m: Matrix, cols: number, what = 'input'): void {
  if (m.cols !== cols) throw new LatentkitError('E_SHAPE', `${what} has ${m.cols} columns, expected ${cols}`);
}

/** Processes rows in batches so large inputs never need one giant buffer downstream. */
export async function mapRowBatches(
  m: Matrix,
  batchSize: number,
  outCols: number,
  fn: (batch: Matrix) => Promise<Matrix> | Matrix,
): Promise<Matrix> {
  const out = new Float32Array(m.rows * outCols);
  for (let start = 0; start < m.rows; start += batchSize) {
    const res = await fn(sliceRows(m, start, start + batchSize));
    if (res.cols !== outCols) throw new LatentkitError('E_SHAPE', `batch produced ${res.cols} columns, expected ${outCols}`);
    out.set(res.data, start * outCols);
  }
  return { data: out, rows: m.rows, cols: outCols };
}
