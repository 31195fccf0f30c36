import { assertFittedReducer, createMatrix, modelCapabilities, type Dataset, type FitOutcome } from '@latentkit/core';
import { expectClose, expectLatentkitError, fail, sameJson } from '../assertions.js';
import type { ConformanceContext } from '../context.js';
import type { CheckDefinition } from './definition.js';

export const fitModel: CheckDefinition = {
  id: 'fit-model',
  name: 'fit: returns a fitted model with the declared capabilities, latentDim and input shape',
  async run(ctx) {
    const outcome = (await ctx.shared()) as Partial<FitOutcome> | null | undefined;
    if (!outcome || typeof outcome !== 'object') fail(`fit() resolved to ${String(outcome)}, not { model, result }`);
    const model = assertFittedReducer(outcome.model, ctx.plugin, 'fit');
    const { plugin, x, data } = ctx;
    const d = await ctx.latentDim();
    if (model.kind !== plugin.kind) fail(`the model's kind is "${model.kind}", the plugin's "${plugin.kind}"`);
    // Plugin-only capabilities (fit-stream) say how the plugin fits; a model may leave them out.
    const declared = modelCapabilities(plugin.capabilities).sort();
    if (!sameJson(modelCapabilities(model.capabilities).sort(), declared)) fail(`the model declares capabilities [${model.capabilities.join(', ')}], the plugin [${plugin.capabilities.join(', ')}]`);
    if (model.latentDim !== d) fail(`latentDim is ${model.latentDim}, expected ${d}`);
    if (model.inputDim !== x.cols) fail(`inputDim is ${model.inputDim}, expected the data's ${x.cols} features`);
    const accepted = data.imageShape ? [[...data.imageShape], [x.cols]] : [[x.cols]];
    if (!accepted.some((shape) => sameJson(model.inputShape, shape))) fail(`inputShape is [${model.inputShape.join(',')}], expected ${accepted.map((s) => `[${s.join(',')}]`).join(' or ')}`);
    if (!Number.isInteger(model.parameterCount) || model.parameterCount <= 0) fail(`parameterCount must be a positive integer after fit, got ${model.parameterCount}`);
    const result = outcome.result;
    if (!result || typeof result !== 'object' || !Number.isFinite(result.seconds) || result.seconds < 0) fail(`fit's result must say how long it took (seconds ≥ 0), got ${JSON.stringify(result)}`);
    for (const p of result.history ?? []) {
      if (!Number.isInteger(p.epoch) || !Number.isFinite(p.loss)) fail(`fit's history has an entry without an integer epoch and a finite loss: ${JSON.stringify(p)}`);
    }
  },
};

export const determinism: CheckDefinition = {
  id: 'determinism',
  name: 'fit: the same seed gives the same codes',
  async run(ctx) {
    const first = await ctx.codesOf(await ctx.shared());
    await ctx.withFresh(async (again) => expectClose(`codes of two fits with seed ${ctx.seed}`, first, await ctx.codesOf(again)));
  },
};

/** Fit must refuse; a model it made anyway is disposed before the check fails. */
function expectFitRefused(ctx: ConformanceContext, what: string, data: Dataset, codes: Parameters<typeof expectLatentkitError>[2], over: Parameters<ConformanceContext['fit']>[1] = {}) {
  return expectLatentkitError(what, async () => (await ctx.fit(data, over))?.model?.dispose?.(), codes);
}

function withRows(data: Dataset, x: ReturnType<typeof createMatrix>, name: string): Dataset {
  return { name, x, ...(data.imageShape ? { imageShape: data.imageShape } : {}) };
}

export const fitEmpty: CheckDefinition = {
  id: 'fit-empty',
  name: 'fit: refuses an empty dataset (E_EMPTY or E_SHAPE)',
  async run(ctx) {
    const empty = withRows(ctx.data, createMatrix(0, ctx.x.cols), `${ctx.data.name}-empty`);
    await expectFitRefused(ctx, 'fit on a dataset of 0 rows', empty, ['E_EMPTY', 'E_SHAPE']);
  },
};

export const fitNonFinite: CheckDefinition = {
  id: 'fit-non-finite',
  name: 'fit: refuses NaN and Infinity in the data (E_INPUT_VALUE)',
  async run(ctx) {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      const values = Float32Array.from(ctx.x.data);
      values[ctx.x.cols + 1] = bad;
      const data = withRows(ctx.data, createMatrix(ctx.x.rows, ctx.x.cols, values), `${ctx.data.name}-${bad}`);
      await expectFitRefused(ctx, `fit on data holding ${bad}`, data, ['E_INPUT_VALUE']);
    }
  },
};

export const fitAbort: CheckDefinition = {
  id: 'fit-abort',
  name: 'fit: an aborted signal stops it (E_ABORTED)',
  async run(ctx) {
    const controller = new AbortController();
    controller.abort();
    await expectFitRefused(ctx, 'fit with an aborted signal', ctx.data, ['E_ABORTED'], { signal: controller.signal });
  },
};

export const latentTooLarge: CheckDefinition = {
  id: 'latent-too-large',
  name: 'fit: refuses latentDim ≥ the input dimension (E_OPTION or E_SHAPE)',
  async run(ctx) {
    const D = ctx.x.cols;
    await expectFitRefused(ctx, `fit with latentDim ${D} on ${D} features`, ctx.data, ['E_OPTION', 'E_SHAPE'], { latentDim: D });
  },
};
