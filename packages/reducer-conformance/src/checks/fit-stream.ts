import { assertFittedReducer, hasCapability, modelCapabilities, mse, subsetDataset, type Matrix, type Reducer, type RowsMse, type StreamFitOutcome } from '@latentkit/core';
import { expectMatrix, fail, sameJson } from '../assertions.js';
import type { ConformanceContext } from '../context.js';
import { datasetRowSource } from '../row-source.js';
import type { CheckDefinition } from './definition.js';

/** Held-out rows handed to the streamed fit (the first rows of the data: only for the MSE it may report). */
const HELD_OUT_ROWS = 16;
/** Reported MSE may differ from the MSE of the model's own reconstructions by this much, relatively (float32). */
const REPORTED_MSE_TOLERANCE = 1e-3;

export const fitStream: CheckDefinition = {
  id: 'fit-stream',
  name: 'fit-stream: fitStream on row batches gives a working model of the declared capabilities, and honest MSE',
  capability: 'fit-stream',
  async run(ctx) {
    const { plugin, x, data } = ctx;
    const settings = await ctx.settings();
    const source = datasetRowSource(data);
    const held = subsetDataset(data, Int32Array.from({ length: Math.min(HELD_OUT_ROWS, x.rows) }, (_, i) => i), `${data.name}-held-out`);
    if (typeof plugin.fitStream !== 'function') fail('the plugin declares "fit-stream" but has no fitStream()');
    const outcome = (await plugin.fitStream(source, settings, { seed: ctx.seed, heldOut: datasetRowSource(held) })) as Partial<StreamFitOutcome> | null | undefined;
    if (!outcome || typeof outcome !== 'object') fail(`fitStream() resolved to ${String(outcome)}, not { model, result }`);
    const model = assertFittedReducer(outcome.model, plugin, 'fitStream');
    try {
      if (source.passes < 1) fail('fitStream() never read its source');
      checkModel(ctx, model, settings.latentDim);
      if (!(Number.isFinite(outcome.result?.seconds) && outcome.result!.seconds >= 0)) fail(`fitStream's result must say how long it took (seconds ≥ 0), got ${JSON.stringify(outcome.result)}`);
      const codes = expectMatrix(`encode of ${x.rows} rows after fitStream`, await model.encode!(x), x.rows, settings.latentDim);
      const tolerance = ctx.streamTolerance;
      if (tolerance !== undefined) {
        const plain = await ctx.codesOf(await ctx.shared());
        const diff = maxDiffUpToSign(codes, plain);
        if (!(diff <= tolerance)) fail(`codes of a streamed fit and a plain fit (seed ${ctx.seed}) differ by up to ${diff}, beyond the declared streamTolerance ${tolerance}`);
      }
      const reported = outcome.reconstruction;
      if (reported !== undefined) {
        await checkReported(model, 'train', reported.train, x);
        if (reported.test !== undefined) await checkReported(model, 'held-out', reported.test, held.x);
      }
    } finally {
      model.dispose();
    }
  },
};

function checkModel(ctx: ConformanceContext, model: Reducer, d: number): void {
  const { plugin, x, data } = ctx;
  if (model.kind !== plugin.kind) fail(`the streamed model's kind is "${model.kind}", the plugin's "${plugin.kind}"`);
  if (!sameJson(modelCapabilities(model.capabilities).sort(), modelCapabilities(plugin.capabilities).sort())) {
    fail(`the streamed model declares capabilities [${model.capabilities.join(', ')}], the plugin [${plugin.capabilities.join(', ')}]`);
  }
  if (model.latentDim !== d || model.inputDim !== x.cols) fail(`the streamed model is ${model.inputDim}→${model.latentDim}, expected ${x.cols}→${d}`);
  const accepted = data.imageShape ? [[...data.imageShape], [x.cols]] : [[x.cols]];
  if (!accepted.some((shape) => sameJson(model.inputShape, shape))) fail(`the streamed model's inputShape is [${model.inputShape.join(',')}], expected ${accepted.map((s) => `[${s.join(',')}]`).join(' or ')}`);
  if (!Number.isInteger(model.parameterCount) || model.parameterCount <= 0) fail(`the streamed model's parameterCount must be a positive integer, got ${model.parameterCount}`);
}

/** A reported MSE must be of all the rows it names, and (for a model that decodes) what its reconstructions give. */
async function checkReported(model: Reducer, part: string, got: RowsMse | undefined, x: Matrix): Promise<void> {
  if (!got || !Number.isInteger(got.n) || !Number.isFinite(got.mse) || got.mse < 0) fail(`fitStream reported ${part} reconstruction ${JSON.stringify(got)}, not { n, mse ≥ 0 }`);
  if (got.n !== x.rows) fail(`fitStream reported ${part} MSE over ${got.n} rows, but the source gave ${x.rows}`);
  if (!hasCapability(model, 'decode')) return;
  const actual = mse(x, await model.decode!(await model.encode!(x)));
  if (!(Math.abs(got.mse - actual) <= REPORTED_MSE_TOLERANCE * actual + 1e-9)) fail(`fitStream reported ${part} MSE ${got.mse}, but the model's reconstructions of those rows give ${actual}`);
}

/** Largest |a − b| once each latent coordinate of b takes the sign that fits a best (components have no sign). */
function maxDiffUpToSign(a: Matrix, b: Matrix): number {
  if (a.rows !== b.rows || a.cols !== b.cols) fail(`codes of a streamed and a plain fit differ in shape: ${a.rows}×${a.cols} vs ${b.rows}×${b.cols}`);
  let worst = 0;
  for (let k = 0; k < a.cols; k++) {
    let same = 0;
    let flipped = 0;
    for (let i = 0; i < a.rows; i++) {
      const u = a.data[i * a.cols + k]!;
      const v = b.data[i * b.cols + k]!;
      same = Math.max(same, Math.abs(u - v));
      flipped = Math.max(flipped, Math.abs(u + v));
    }
    worst = Math.max(worst, Math.min(same, flipped));
  }
  return Number.isNaN(worst) ? Number.POSITIVE_INFINITY : worst;
}
