import { createMatrix, decodeWith, encodeWith, hasCapability, reconstruct, requireCapability, type Reducer } from '@latentkit/core';
import { expectLatentkitError, fail } from '../assertions.js';
import type { ConformanceContext } from '../context.js';
import { CAPABILITY_METHODS, type CheckDefinition, type MethodCapability } from './definition.js';

const undeclared = (plugin: ConformanceContext['plugin']) =>
  (Object.keys(CAPABILITY_METHODS) as MethodCapability[]).filter((c) => !hasCapability(plugin, c));

export const undeclaredAbsent: CheckDefinition = {
  id: 'undeclared-absent',
  name: 'capabilities: an undeclared operation is absent, and apps get E_UNSUPPORTED for it',
  appliesTo: (plugin) => undeclared(plugin).length > 0,
  async run(ctx) {
    const { model } = await ctx.shared();
    const { x } = ctx;
    for (const capability of undeclared(ctx.plugin)) {
      const method = CAPABILITY_METHODS[capability];
      if (typeof (model as unknown as Record<string, unknown>)[method] === 'function') {
        fail(`the model has ${method}() but the plugin does not declare "${capability}": declare it or leave the method out`);
      }
      await expectLatentkitError(`requireCapability(model, "${capability}")`, () => requireCapability(model, capability, 'conformance'), ['E_UNSUPPORTED']);
    }
    if (!hasCapability(ctx.plugin, 'encode')) await expectLatentkitError('encodeWith(model, x)', () => encodeWith(model, x), ['E_UNSUPPORTED']);
    if (!hasCapability(ctx.plugin, 'decode')) {
      await expectLatentkitError('decodeWith(model, z)', () => decodeWith(model, createMatrix(1, model.latentDim)), ['E_UNSUPPORTED']);
      await expectLatentkitError('reconstruct(model, x)', () => reconstruct(model, x), ['E_UNSUPPORTED']);
    }
  },
};

/** The first operation the model offers, to try after dispose. */
function anOperation(ctx: ConformanceContext, model: Reducer): [string, () => Promise<unknown>] {
  const has = (c: Parameters<typeof hasCapability>[1]) => hasCapability(ctx.plugin, c);
  if (has('encode')) return ['encode', () => model.encode!(ctx.x)];
  if (has('encode-distribution')) return ['encodeDistribution', () => model.encodeDistribution!(ctx.x)];
  if (has('decode')) return ['decode', () => model.decode!(createMatrix(1, model.latentDim))];
  if (has('sample')) return ['sample', () => model.sample!(1, { seed: 1 })];
  return ['save', () => model.save()];
}

export const dispose: CheckDefinition = {
  id: 'dispose',
  name: 'dispose: the model is unusable afterwards (LatentkitError), and a second dispose is harmless',
  async run(ctx) {
    // Takes the shared model, so it runs last; a check run after it fits a new one.
    const { model } = await ctx.takeShared();
    model.dispose();
    const [name, op] = anOperation(ctx, model);
    await expectLatentkitError(`${name}() after dispose()`, op, []);
    try {
      model.dispose();
    } catch (e) {
      fail(`a second dispose() threw: ${(e as Error).message}`);
    }
  },
};
