import { createMatrix, hasCapability, subsetDataset, type FitResult } from '@latentkit/core';
import { expectLatentkitError, expectMatrix, fail } from '../assertions.js';
import type { CheckDefinition } from './definition.js';

export const partialFit: CheckDefinition = {
  id: 'partial-fit',
  name: 'partial-fit: after partialFit on more rows the model still encodes, decodes and saves',
  capability: 'partial-fit',
  async run(ctx) {
    const { data, x, plugin } = ctx;
    const d = await ctx.latentDim();
    const half = Math.floor(x.rows / 2);
    const rows = (from: number, to: number) => Int32Array.from({ length: to - from }, (_, i) => from + i);
    const first = subsetDataset(data, rows(0, half), `${data.name}-first-half`);
    const rest = subsetDataset(data, rows(half, x.rows), `${data.name}-second-half`);
    await ctx.withFresh(async ({ model }) => {
      const result = (await model.partialFit!(rest, { seed: ctx.seed })) as Partial<FitResult> | undefined;
      if (!result || !Number.isFinite(result.seconds)) fail(`partialFit's result must say how long it took, got ${JSON.stringify(result)}`);
      if (model.latentDim !== d || model.inputDim !== x.cols) fail(`after partialFit the model is ${model.inputDim}→${model.latentDim}, expected ${x.cols}→${d}`);
      if (hasCapability(plugin, 'encode')) {
        const z = expectMatrix('encode after partialFit', await model.encode!(x), x.rows, d);
        if (hasCapability(plugin, 'decode')) expectMatrix('decode after partialFit', await model.decode!(z), x.rows, x.cols);
      }
      await model.save();
      await expectLatentkitError(`partialFit on rows with ${x.cols + 1} columns`, () => model.partialFit!({ name: 'wide', x: createMatrix(4, x.cols + 1) }), ['E_SHAPE']);
    }, first);
  },
};
