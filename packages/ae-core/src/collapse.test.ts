import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleFiles, createMatrix, createRng, readBundle, type Matrix, type ProgressEvent } from '@latentkit/core';
import { lowRankDataset, lowRankMatrix, tinyArchitecture, tinyDefinition } from './__fixtures__/tiny.js';
import { DEFAULT_RECOVERY, epochFailure, retrySeed, trivialErrors, type TrivialErrors } from './collapse.js';
import { meanLogits, type DataInitParamSpec } from './data-init.js';
import {
  checkpointInfoOf,
  checkpointToBundle,
  dense,
  denseSpecs,
  fitAutoencoder,
  INFERENCE,
  ParamStore,
  reconstructionModel,
  setupBackend,
  trainModel,
  trainStateFromBundle,
  type Architecture,
  type AutoencoderDefinition,
  type CheckpointIdentity,
  type TrainableModel,
  type TrainSettings,
  type TrainState,
  type trainingOptions,
  type WeightValues,
} from './index.js';

const x = lowRankMatrix(96, 8, 2);
const many = lowRankMatrix(640, 8, 2, 5);
// 96 rows in batches of 16 → 6 batches per epoch.
const settings: TrainSettings = { epochs: 4, batchSize: 16, learningRate: 0.01, lrSchedule: 'constant', validationSplit: 0, patience: 0, seed: 7 };

/** The tiny tanh autoencoder; reconstructionModel exposes its encoder, so the loop also watches the codes. */
function tinyModel(seed = 3): TrainableModel {
  const arch = tinyArchitecture({ kind: 'tiny', inputShape: [8], latentDim: 2, options: {} });
  const store = ParamStore.initialise(arch.params, createRng(seed));
  return reconstructionModel(arch, store);
}

/** An autoencoder whose decoder cannot learn: it outputs a blank row whatever its weights, like a sigmoid saturated at 0. */
function blankDecoderModel(D: number): TrainableModel {
  const params = [...denseSpecs('enc', D, 2, 'glorotUniform'), ...denseSpecs('dec', 2, D, 'glorotUniform')];
  const store = ParamStore.initialise(params, createRng(1));
  const encode = (b: tf.Tensor2D) => dense(store.vars, 'enc', b);
  // The decoder's weights take part (so they get gradients) but a ×0 kills every one of them.
  const decode = (z: tf.Tensor2D) => tf.mul(dense(store.vars, 'dec', z), 0) as tf.Tensor2D;
  return { store, encode: (b) => encode(b), loss: (b) => tf.mean(tf.squaredDifference(decode(encode(b)), b)) as tf.Scalar };
}

function expectSameWeights(a: WeightValues, b: WeightValues): void {
  expect([...a.keys()]).toEqual([...b.keys()]);
  for (const [k, v] of a) expect(Array.from(b.get(k)!), k).toEqual(Array.from(v));
}

beforeAll(() => setupBackend('wasm'));

describe('trivial errors', () => {
  it('are the mean per-feature variance around the feature means and the mean square', () => {
    // Features: [1, 3] (mean 2, variance 1) and [0, 0] (variance 0) → constant (1 + 0) / 2; blank (1 + 9 + 0 + 0) / 4.
    const m = createMatrix(2, 2, Float32Array.of(1, 0, 3, 0));
    expect(trivialErrors(m)).toEqual({ constant: 0.5, blank: 2.5 });
    // Only the given rows count (the loop passes the training rows, never the validation ones).
    expect(trivialErrors(m, [1])).toEqual({ constant: 0, blank: 4.5 });
  });
});

describe('epochFailure', () => {
  const trivial: TrivialErrors = { constant: 0.067, blank: 0.112 };
  const at = (lateLoss: number, earlierLoss: number | undefined, steps = 500) => epochFailure({ epoch: 2, steps, lateLoss, ...(earlierLoss !== undefined ? { earlierLoss } : {}) }, trivial);

  it('flags a loss stuck at or above the constant-prediction error (the blank-image plateau of the demo)', () => {
    expect(at(0.1118, 0.1119)).toMatchObject({ kind: 'trivial', where: 'epoch 2', what: expect.stringContaining('predicting the mean row scores 0.06700, a blank one 0.1120') });
    expect(at(0.0669, 0.067)).toMatchObject({ kind: 'trivial' });
  });

  it('leaves alone fits that still improve, that beat the constant prediction, or that are too young to judge', () => {
    expect(at(0.1118, 0.1305)).toBeUndefined(); // still falling fast (a slow start)
    expect(at(0.05, 0.05)).toBeUndefined(); // a plateau well below the trivial error: converged, not collapsed
    expect(at(0.1118, undefined)).toBeUndefined(); // nothing to compare with yet
    expect(at(0.1118, 0.1118, DEFAULT_RECOVERY.minSteps - 1)).toBeUndefined();
  });

  it('flags exploding and non-finite codes', () => {
    const codes = (codeRms: number, initialCodeRms = 1.2) => epochFailure({ epoch: 1, steps: 16, lateLoss: 0.03, codeRms, initialCodeRms }, trivial);
    expect(codes(250)).toMatchObject({ kind: 'exploding-codes', what: 'the codes exploded (RMS 1.200 at the start, 250.0 now)' });
    expect(codes(10)).toBeUndefined();
    expect(codes(Number.NaN)).toMatchObject({ kind: 'non-finite', what: 'the codes became NaN' });
  });
});

describe('reconstructionModel', () => {
  it("exposes the architecture's encoder, so fits of every autoencoder kind have their codes watched", () => {
    const arch = tinyArchitecture({ kind: 'tiny', inputShape: [8], latentDim: 2, options: {} });
    const store = ParamStore.initialise(arch.params, createRng(3));
    const model = reconstructionModel(arch, store);
    expect(model.encode).toBeTypeOf('function');
    const xb = tf.tensor2d(x.data.subarray(0, 4 * 8), [4, 8]);
    const [viaModel, direct] = [model.encode!(xb, INFERENCE), arch.encode(store.vars, xb, INFERENCE)];
    expect(viaModel.shape).toEqual([4, 2]);
    expect(Array.from(viaModel.dataSync())).toEqual(Array.from(direct.dataSync()));
    tf.dispose([xb, viaModel, direct]);
    store.dispose();
  });
});

describe('collapse and divergence in trainModel', () => {
  it('leaves a healthy fit untouched: the same weights as with the detector switched off', async () => {
    const run = async (recovery: TrainSettings['recovery']) => {
      const model = tinyModel();
      const events: ProgressEvent[] = [];
      const r = await trainModel(model, x, { ...settings, epochs: 6, recovery }, { onProgress: (e) => events.push(e) });
      const w = model.store.snapshot();
      model.store.dispose();
      return { r, w, events };
    };
    const watched = await run({ minSteps: 0 });
    const off = await run({ retries: 0, trivialTolerance: -Infinity, maxCodeGrowth: Infinity });
    expectSameWeights(watched.w, off.w);
    expect(watched.r.retries).toEqual([]);
    expect(watched.r.learningRate).toBe(settings.learningRate);
    expect(watched.events.some((e) => e.phase === 'retry')).toBe(false);
    expect(watched.r.history.map((p) => p.loss)).toEqual(off.r.history.map((p) => p.loss));
  });

  it('retries a collapsed fit from derived seeds at lower rates, then stops with one E_DIVERGED line', async () => {
    const D = 8;
    const model = blankDecoderModel(D);
    const events: ProgressEvent[] = [];
    const checkpoints: TrainState[] = [];
    // 640 rows in batches of 16: 40 batches per epoch, judged on the epoch's two halves.
    const run = trainModel(model, many, { ...settings, recovery: { minSteps: 0 } }, { onProgress: (e) => events.push(e), onCheckpoint: (s) => void checkpoints.push(s) });
    const blank = trivialErrors(many).blank;
    await expect(run).rejects.toMatchObject({
      code: 'E_DIVERGED',
      message: expect.stringMatching(
        new RegExp(`^training collapsed: the loss [0-9.]+ stopped improving at the trivial solution \\(predicting the mean row scores [0-9.]+, a blank one ${blank.toPrecision(4)}\\) at epoch \\d; 2 retries from new seeds at lower learning rates \\(down to 0\\.00090\\) did not help; weights were kept from the last good epoch \\(try a lower learningRate\\)$`),
      ),
    });
    const retries = events.filter((e) => e.phase === 'retry');
    expect(retries.map((e) => e.message)).toEqual([
      expect.stringMatching(new RegExp(`^retry 1/2: the loss .* at epoch \\d; restarting from seed ${retrySeed(7, 1)} at learning rate 0.0030$`)),
      expect.stringMatching(new RegExp(`^retry 2/2: the loss .* at epoch \\d; restarting from seed ${retrySeed(7, 2)} at learning rate 0.00090$`)),
    ]);
    // Each attempt stopped within its first epochs (an epoch whose halves differ by chance may pass),
    // and the epoch that showed the collapse was never checkpointed.
    const epochEnds = events.filter((e) => e.message?.startsWith('epoch ')).map((e) => e.epoch!);
    expect(epochEnds.filter((e) => e === 1)).toHaveLength(3);
    expect(Math.max(...epochEnds)).toBeLessThan(settings.epochs);
    expect(checkpoints.length).toBe(epochEnds.length - 3);
    model.store.dispose();
  });

  it('recovers from a divergence on the retry: deterministic, reported in the result and the progress events', async () => {
    const run = async () => {
      const inner = tinyModel();
      let calls = 0;
      // NaN (with NaN gradients) at the 3rd batch of epoch 2 of the first attempt only.
      const model: TrainableModel = { ...inner, loss: (b, ctx) => (ctx.training && ++calls === 9 ? tf.mul(inner.loss(b, ctx), NaN) : inner.loss(b, ctx)) };
      const events: ProgressEvent[] = [];
      const r = await trainModel(model, x, settings, { onProgress: (e) => events.push(e) });
      const w = model.store.snapshot();
      model.store.dispose();
      return { r, w, events };
    };
    const a = await run();
    expect(a.r.retries).toEqual([{ retry: 1, kind: 'non-finite', reason: 'the loss became NaN at epoch 2, batch 3', seed: retrySeed(7, 1), learningRate: settings.learningRate * 0.3 }]);
    expect(a.r.learningRate).toBeCloseTo(0.003, 12);
    expect(a.r.history.map((p) => p.epoch)).toEqual([1, 2, 3, 4]);
    expect([...a.w.values()].every((v) => v.every(Number.isFinite))).toBe(true);
    expect(a.events.filter((e) => e.phase === 'retry')).toHaveLength(1);
    const b = await run();
    expectSameWeights(a.w, b.w);
  });

  it('stops after the retries when every attempt diverges (an absurd learning rate), naming the last rate', async () => {
    const model = tinyModel();
    const rates: string[] = [];
    const run = trainModel(model, x, { ...settings, learningRate: 1e30 }, { onProgress: (e) => e.phase === 'retry' && rates.push(e.message!.replace(/.* at learning rate /, '')) });
    await expect(run).rejects.toMatchObject({
      code: 'E_DIVERGED',
      message: expect.stringMatching(/^training diverged: .* at epoch \d+(, batch \d+| \(validation\)|)?; 2 retries from new seeds at lower learning rates \(down to 9\.0e\+28\) did not help; weights were kept from the last good epoch/),
    });
    expect(rates).toEqual(['3.0e+29', '9.0e+28']);
    expect([...model.store.snapshot().values()].every((v) => v.every(Number.isFinite))).toBe(true);
    model.store.dispose();
  });

  it('keeps the tensor count flat across epochs and attempts while watching the codes', async () => {
    const model = blankDecoderModel(8);
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    await expect(trainModel(model, many, { ...settings, recovery: { minSteps: 0 } }, { onEpochEnd: () => counts.push(tf.memory().numTensors) })).rejects.toMatchObject({ code: 'E_DIVERGED' });
    expect(counts.length).toBeGreaterThanOrEqual(3);
    expect(new Set(counts).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    model.store.dispose();
  });

  it('resumes a retry where it left off: same attempt, seed and rate as the run that was not interrupted', async () => {
    const run = async (resumeFrom?: TrainState, stopAfter?: number) => {
      const inner = tinyModel();
      let calls = 0;
      const model: TrainableModel = { ...inner, loss: (b, ctx) => (ctx.training && ++calls === 9 && !resumeFrom ? tf.mul(inner.loss(b, ctx), NaN) : inner.loss(b, ctx)) };
      const states: TrainState[] = [];
      const controller = new AbortController();
      const r = await trainModel(model, x, settings, {
        signal: controller.signal,
        ...(resumeFrom ? { resumeFrom } : {}),
        onCheckpoint: (s) => {
          states.push(s);
          if (s.epoch === stopAfter) controller.abort();
        },
      }).catch((e: unknown) => e);
      const w = model.store.snapshot();
      model.store.dispose();
      return { r, w, states };
    };
    const straight = await run();
    const interrupted = await run(undefined, 2);
    expect(interrupted.r).toMatchObject({ code: 'E_ABORTED' });
    const state = interrupted.states.at(-1)!;
    expect(state).toMatchObject({ epoch: 2, attempt: 1, initialCodeRms: expect.any(Number) });
    const resumed = await run(state);
    expectSameWeights(straight.w, resumed.w);

    // The same through a checkpoint bundle written to files and read back, as `fit --resume` does.
    const specs = tinyArchitecture({ kind: 'tiny', inputShape: [8], latentDim: 2, options: {} }).params;
    const id: CheckpointIdentity = { kind: 'tiny', options: {}, inputShape: [8], latentDim: 2, seed: settings.seed, dataRows: x.rows, dataFingerprint: 0 };
    const files = bundleFiles(checkpointToBundle(id, specs, state));
    const bundle = await readBundle(async (f) => files.get(f)!, 'checkpoint');
    expect(checkpointInfoOf(bundle)).toMatchObject({ attempt: 1, initialCodeRms: state.initialCodeRms });
    const fromBundle = trainStateFromBundle(bundle, specs);
    expect(fromBundle).toMatchObject({ epoch: 2, attempt: 1, initialCodeRms: state.initialCodeRms });
    const resumedFromBundle = await run(fromBundle);
    expectSameWeights(straight.w, resumedFromBundle.w);
  });

  it('reads checkpoints without the retry fields as the first attempt', () => {
    const specs = tinyArchitecture({ kind: 'tiny', inputShape: [8], latentDim: 2, options: {} }).params;
    const store = ParamStore.initialise(specs, createRng(1));
    const weights = store.snapshot();
    store.dispose();
    const zeros = specs.map((s) => new Float32Array(s.shape.reduce((a, b) => a * b, 1)));
    const state: TrainState = {
      epoch: 1,
      history: [{ epoch: 1, loss: 0.5 }],
      weights,
      optimizer: { iterations: 6, accBeta1: 0.5, accBeta2: 0.9, firstMoments: zeros, secondMoments: zeros },
      best: { value: 0.5, epoch: 1, weights },
      sinceBest: 0,
    };
    const id: CheckpointIdentity = { kind: 'tiny', options: {}, inputShape: [8], latentDim: 2, seed: 7, dataRows: 96, dataFingerprint: 0 };
    const written = checkpointToBundle(id, specs, state);
    expect(written.manifest.extra.checkpoint).toMatchObject({ attempt: 0 });
    // An older checkpoint: no attempt, no initialCodeRms.
    const { attempt: _a, ...older } = written.manifest.extra.checkpoint as Record<string, never>;
    const read = trainStateFromBundle({ ...written, manifest: { ...written.manifest, extra: { ...written.manifest.extra, checkpoint: older } } }, specs);
    expect(read.attempt).toBeUndefined();
    expect(read.initialCodeRms).toBeUndefined();
    // A corrupt attempt is refused in one line naming the field.
    const bad = { ...written, manifest: { ...written.manifest, extra: { ...written.manifest.extra, checkpoint: { ...older, attempt: -1 } } } };
    expect(() => trainStateFromBundle(bad, specs)).toThrow(/"attempt" must be an integer ≥ 0, got -1/);
  });
});

describe('data-dependent initialisation', () => {
  it('meanLogits: the logit of each interleaved channel\'s mean over the given rows, finite for an always-0 channel', () => {
    const m: Matrix = { data: Float32Array.of(0, 0.5, 1, 0.5, 0.2, 0.2), rows: 3, cols: 2 };
    const sigmoid = (v: Float32Array) => Array.from(v, (l) => 1 / (1 + Math.exp(-l)));
    // Two interleaved channels (columns 0 and 1), each with mean 0.4; one channel over rows 0 and 1: 0.5.
    expect(sigmoid(meanLogits(m, Int32Array.of(0, 1, 2), 2))).toEqual([expect.closeTo(0.4, 6), expect.closeTo(0.4, 6)]);
    expect(sigmoid(meanLogits(m, Int32Array.of(0, 1), 1))).toEqual([expect.closeTo(0.5, 6)]);
    const zero = meanLogits(m, Int32Array.of(0), 2)[0]!;
    expect(zero).toBeCloseTo(Math.log(1e-3 / (1 - 1e-3)), 4);
  });

  it('sets a fromData weight from the training rows (not the validation rows) before the first step', async () => {
    // A sigmoid-output autoencoder with an output bias started at the logit of each feature's mean.
    const D = 8;
    const data: Matrix = lowRankMatrix(64, D, 2);
    const seen: Float32Array[] = [];
    const bias: DataInitParamSpec = {
      name: 'dec.bias',
      shape: [D],
      init: 'zeros',
      fromData: (m, rows) => {
        const v = meanLogits(m, rows, D);
        seen.push(v);
        return v;
      },
    };
    const arch: Architecture = {
      params: [...denseSpecs('enc', D, 2, 'glorotUniform'), { name: 'dec.kernel', shape: [2, D], init: 'zeros' }, bias],
      encode: (p, b) => dense(p, 'enc', b),
      decode: (p, z) => tf.sigmoid(tf.add(tf.matMul(z, p['dec.kernel']!), p['dec.bias']!)) as tf.Tensor2D,
    };
    const store = ParamStore.initialise(arch.params, createRng(2));
    // Learning rate 0: the weights stay where the loop started them.
    await trainModel(reconstructionModel(arch, store), data, { ...settings, learningRate: 0, epochs: 1, validationSplit: 0.25 });
    expect(seen).toHaveLength(1);
    const p = Array.from(store.vars['dec.bias']!.dataSync(), (v) => 1 / (1 + Math.exp(-v)));
    // Means of the 48 training rows only (the split holds 16 out), not of all 64.
    const rows = createRng(7);
    rows.fork();
    const order = createRng(7).fork().permutation(64);
    const train = order.slice(16);
    for (let j = 0; j < D; j++) {
      let s = 0;
      for (const r of train) s += data.data[r * D + j]!;
      expect(p[j]).toBeCloseTo(s / train.length, 5);
    }
    store.dispose();
  });
});

describe('fitAutoencoder: the retries option and what the fit reports', () => {
  const data = lowRankDataset(96, 8, 2);

  /** The tiny autoencoder whose decoder returns NaN on the `nanAt`-th training call of each fit built. */
  function flakyDefinition(nanAt: number): AutoencoderDefinition<typeof trainingOptions> {
    return {
      ...tinyDefinition,
      build: (ctx) => {
        const arch = tinyArchitecture(ctx);
        let calls = 0;
        return { ...arch, decode: (p, z, fctx) => (fctx.training && ++calls === nanAt ? tf.mul(arch.decode(p, z, fctx), NaN) : arch.decode(p, z, fctx)) as tf.Tensor2D };
      },
    };
  }

  it('passes `retries` to the loop: 0 stops at once, 1 allows one retry', async () => {
    const absurd = { latentDim: 2, learningRate: 1e30 };
    await expect(fitAutoencoder(tinyDefinition, data, { ...absurd, retries: 0 }, { seed: 7 })).rejects.toMatchObject({
      code: 'E_DIVERGED',
      message: expect.not.stringContaining('retr'),
    });
    await expect(fitAutoencoder(tinyDefinition, data, { ...absurd, retries: 1 }, { seed: 7 })).rejects.toMatchObject({
      code: 'E_DIVERGED',
      message: expect.stringContaining('; 1 retry from new seeds at lower learning rates (down to 3.0e+29) did not help'),
    });
    await expect(fitAutoencoder(tinyDefinition, data, { latentDim: 2, retries: -1 }, { seed: 7 })).rejects.toMatchObject({ code: 'E_OPTION', message: expect.stringContaining('retries') });
  });

  it('reports the retries, their reasons and the final learning rate in the fit info; a healthy fit reports none', async () => {
    const healthy = await fitAutoencoder(tinyDefinition, data, { latentDim: 2 }, { seed: 7 });
    expect(healthy.result.info).not.toHaveProperty('retries');
    expect(healthy.result.info).not.toHaveProperty('learningRate');
    healthy.model.dispose();
    // 96 rows in batches of 16: call 9 is the 3rd batch of epoch 2.
    const { model, result } = await fitAutoencoder(flakyDefinition(9), data, { latentDim: 2 }, { seed: 7 });
    expect(result.info).toMatchObject({ retries: 1, retryReasons: 'the loss became NaN at epoch 2, batch 3', learningRate: expect.closeTo(0.003, 12) });
    expect(result.history!.map((p) => p.epoch)).toEqual([1, 2, 3]);
    model.dispose();
  });
});
