import { expectClose, expectMatrix, fail, maxAbsDiff } from '../assertions.js';
import type { CheckDefinition } from './definition.js';

const DRAWS = 5;

export const sample: CheckDefinition = {
  id: 'sample',
  name: 'sample: n×D finite draws, the same for one seed and different for another',
  capability: 'sample',
  async run(ctx) {
    const { model } = await ctx.shared();
    const D = ctx.x.cols;
    const draw = async (seed: number) => expectMatrix(`sample(${DRAWS}, { seed: ${seed} })`, await model.sample!(DRAWS, { seed }), DRAWS, D);
    const first = await draw(1);
    expectClose('two sample() calls with seed 1', first, await draw(1));
    if (maxAbsDiff('samples', first, await draw(2)) === 0) fail('sample() gives the same draws for seeds 1 and 2: it ignores the seed');
  },
};
