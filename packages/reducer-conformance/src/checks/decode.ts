import { createMatrix, mse, sliceRows } from '@latentkit/core';
import { expectClose, expectLatentkitError, expectMatrix, fail, meanBaselineMse } from '../assertions.js';
import type { CheckDefinition } from './definition.js';

const SINGLE_ROWS = 3;

export const decodeShape: CheckDefinition = {
  id: 'decode-shape',
  name: 'decode: n×D finite reconstructions, the same one row at a time',
  capability: 'decode',
  async run(ctx) {
    const outcome = await ctx.shared();
    const { x, batchTolerance: tol } = ctx;
    const z = await ctx.codesOf(outcome);
    const { model } = outcome;
    const whole = expectMatrix(`decode of ${z.rows} codes`, await model.decode!(z), x.rows, x.cols);
    for (let i = 0; i < SINGLE_ROWS; i++) {
      const alone = expectMatrix(`decode of code ${i} alone`, await model.decode!(sliceRows(z, i, i + 1)), 1, x.cols);
      expectClose(`reconstructions of code ${i} decoded alone and in the whole batch`, alone, sliceRows(whole, i, i + 1), tol);
    }
  },
};

export const decodeBadInput: CheckDefinition = {
  id: 'decode-bad-input',
  name: 'decode: refuses codes of the wrong width (E_SHAPE)',
  capability: 'decode',
  async run(ctx) {
    const { model } = await ctx.shared();
    const d = await ctx.latentDim();
    for (const cols of [d + 1, d - 1]) {
      if (cols >= 1) await expectLatentkitError(`decode of codes with ${cols} columns (latentDim ${d})`, () => model.decode!(createMatrix(2, cols)), ['E_SHAPE']);
    }
  },
};

export const reconstruction: CheckDefinition = {
  id: 'reconstruction',
  name: 'decode: reconstructions beat predicting the column mean on the fitted data',
  capability: 'decode',
  async run(ctx) {
    const outcome = await ctx.shared();
    const error = mse(ctx.x, await outcome.model.decode!(await ctx.codesOf(outcome)));
    const baseline = meanBaselineMse(ctx.x);
    if (!(error < baseline)) fail(`reconstruction MSE ${error.toPrecision(4)} does not beat predicting the column mean (MSE ${baseline.toPrecision(4)})`);
  },
};
