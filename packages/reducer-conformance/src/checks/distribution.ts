import { createMatrix, hasCapability, type GaussianCodes } from '@latentkit/core';
import { expectClose, expectLatentkitError, expectMatrix, fail } from '../assertions.js';
import type { CheckDefinition } from './definition.js';

export const encodeDistribution: CheckDefinition = {
  id: 'encode-distribution',
  name: 'encode-distribution: n×d mean and logVar, the mean equal to encode()',
  capability: 'encode-distribution',
  async run(ctx) {
    const { model } = await ctx.shared();
    const { x } = ctx;
    const d = await ctx.latentDim();
    const q = (await model.encodeDistribution!(x)) as Partial<GaussianCodes> | null;
    if (!q || typeof q !== 'object') fail(`encodeDistribution returned ${String(q)}, not { mean, logVar }`);
    const mean = expectMatrix('encodeDistribution().mean', q.mean, x.rows, d);
    expectMatrix('encodeDistribution().logVar', q.logVar, x.rows, d);
    if (hasCapability(ctx.plugin, 'encode')) expectClose('encodeDistribution().mean and encode()', mean, await model.encode!(x), ctx.batchTolerance);
    await expectLatentkitError(`encodeDistribution of rows with ${x.cols + 1} columns`, () => model.encodeDistribution!(createMatrix(2, x.cols + 1)), ['E_SHAPE']);
  },
};
