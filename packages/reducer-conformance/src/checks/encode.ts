import { concatRows, createMatrix, sliceRows } from '@latentkit/core';
import { expectClose, expectLatentkitError, expectMatrix } from '../assertions.js';
import type { CheckDefinition } from './definition.js';

/** Rows compared one at a time against the whole batch. */
const SINGLE_ROWS = 4;

export const encodeShape: CheckDefinition = {
  id: 'encode-shape',
  name: 'encode: n×d finite codes',
  capability: 'encode',
  async run(ctx) {
    const { model } = await ctx.shared();
    expectMatrix(`encode of ${ctx.x.rows} rows`, await model.encode!(ctx.x), ctx.x.rows, await ctx.latentDim());
  },
};

export const encodeBatching: CheckDefinition = {
  id: 'encode-batching',
  name: 'encode: one row at a time and uneven batches equal the whole batch',
  capability: 'encode',
  async run(ctx) {
    const { model } = await ctx.shared();
    const { x, batchTolerance: tol } = ctx;
    // Shapes are compared, not validated: n×d Float32 codes are encode-shape's business.
    const whole = await model.encode!(x);
    for (let i = 0; i < SINGLE_ROWS; i++) {
      expectClose(`codes of row ${i} encoded alone and in the whole batch`, await model.encode!(sliceRows(x, i, i + 1)), sliceRows(whole, i, i + 1), tol);
    }
    const parts = [];
    for (const [s, e] of [[0, 1], [1, 8], [8, x.rows]] as const) parts.push(await model.encode!(sliceRows(x, s, e)));
    expectClose('codes encoded in uneven batches and all at once', concatRows(parts), whole, tol);
  },
};

export const encodeBadInput: CheckDefinition = {
  id: 'encode-bad-input',
  name: 'encode: refuses a wrong column count (E_SHAPE) and NaN (E_INPUT_VALUE)',
  capability: 'encode',
  async run(ctx) {
    const { model } = await ctx.shared();
    const D = ctx.x.cols;
    for (const cols of [D + 1, D - 1]) await expectLatentkitError(`encode of rows with ${cols} columns (model has ${D})`, () => model.encode!(createMatrix(2, cols)), ['E_SHAPE']);
    const nan = Float32Array.from(ctx.x.data.subarray(0, 2 * D));
    nan[D + 3] = Number.NaN;
    await expectLatentkitError('encode of a row holding NaN', () => model.encode!(createMatrix(2, D, nan)), ['E_INPUT_VALUE']);
  },
};
