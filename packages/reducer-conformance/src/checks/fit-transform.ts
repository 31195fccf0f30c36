import { expectMatrix, fail } from '../assertions.js';
import type { CheckDefinition } from './definition.js';

export const fitTransformEmbedding: CheckDefinition = {
  id: 'fit-transform-embedding',
  name: 'fit-transform: fit returns the fitted rows\' n×d embedding',
  capability: 'fit-transform',
  async run(ctx) {
    const { embedding } = await ctx.shared();
    if (!embedding) fail('fit returned no embedding, which a fit-transform reducer must');
    expectMatrix("fit's embedding", embedding, ctx.x.rows, await ctx.latentDim());
  },
};
