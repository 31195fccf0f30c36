import { concatRows, createMatrix, sliceRows, type Matrix, type Reducer } from '@latentkit/core';
import { expectLatentkitError, fail } from '../assertions.js';
import type { CheckDefinition } from './definition.js';

const SEED = 3;

/** Checks a bound is a Float64Array of one finite number per row. */
function expectBounds(what: string, b: unknown, rows: number): Float64Array {
  if (!(b instanceof Float64Array)) fail(`${what} must return a Float64Array, got ${b === null ? 'null' : typeof b === 'object' ? (b?.constructor?.name ?? 'an object') : typeof b}`);
  if (b.length !== rows) fail(`${what} gave ${b.length} values for ${rows} rows`);
  const i = b.findIndex((v) => !Number.isFinite(v));
  if (i >= 0) fail(`${what} has a non-finite value (${b[i]}) at row ${i}`);
  return b;
}

/** Largest |a − b| relative to max(1, |a|): bounds are sums over D pixels, so their rounding grows with them. */
function relativeGap(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(a[i]!)));
  return Number.isNaN(m) ? Number.POSITIVE_INFINITY : m;
}

const bound = (model: Reducer, x: Matrix, seed = SEED) => model.logLikelihoodBound!(x, { seed });

export const likelihoodBound: CheckDefinition = {
  id: 'likelihood-bound',
  name: 'likelihood-bound: one finite number per row, the same for one seed and for any batching, refusing a wrong width',
  capability: 'likelihood-bound',
  async run(ctx) {
    const { model } = await ctx.shared();
    const { x, batchTolerance: tol } = ctx;
    const whole = expectBounds(`logLikelihoodBound of ${x.rows} rows`, await bound(model, x), x.rows);
    const again = await bound(model, x);
    if (relativeGap(whole, again) > 0) fail(`two logLikelihoodBound calls with seed ${SEED} differ by up to ${relativeGap(whole, again)} (relative)`);
    // [a; b] scored at once must equal a then b: a row's bound may not depend on its batch or its place in it.
    const split = Math.floor(x.rows / 3);
    const parts = [await bound(model, sliceRows(x, 0, split)), await bound(model, sliceRows(x, split, x.rows))];
    const joined = Float64Array.from([...parts[0]!, ...parts[1]!]);
    if (joined.length !== x.rows || relativeGap(whole, joined) > tol) {
      fail(`bounds of rows 0–${split - 1} then ${split}–${x.rows - 1} and of all ${x.rows} rows at once differ by up to ${relativeGap(whole, joined)} (relative, tolerance ${tol}): a row's bound depends on its batch`);
    }
    const reversed = concatRows([sliceRows(x, split, x.rows), sliceRows(x, 0, split)]);
    const back = await bound(model, reversed);
    const unrotated = Float64Array.from([...back.subarray(x.rows - split), ...back.subarray(0, x.rows - split)]);
    if (relativeGap(whole, unrotated) > tol) fail(`bounds of the rows reordered differ by up to ${relativeGap(whole, unrotated)} (relative, tolerance ${tol}): a row's bound depends on its place in the batch`);
    for (const cols of [x.cols + 1, x.cols - 1]) await expectLatentkitError(`logLikelihoodBound of rows with ${cols} columns (model has ${x.cols})`, () => bound(model, createMatrix(2, cols)), ['E_SHAPE']);
  },
};
