import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, type ProgressEvent } from '@latentkit/core';
import { startGemmTeam, type GemmTeamHandle } from '@latentkit/tfjs-wasm-train/node';
import { lowRankMatrix } from '../__fixtures__/tiny.js';
import { ParamStore, type Architecture, type WeightValues } from '../network.js';
import { dense, denseSpecs } from '../layers.js';
import { reconstructionModel } from '../reducer.js';
import { setupBackend } from '../backend.js';
import { trainModel, type TrainSettings } from '../train.js';
import { useTrainingWorkers } from '../node.js';
import { registerGemmTeamStarter } from './pools.js';

// 784 → 256 → 4 → 784 at batch 64: the first layer's products have 12.8M multiply-adds, above the team's
// threshold; the others stay on this thread.
const D = 784;
const wide: Architecture = {
  params: [...denseSpecs('enc.0', D, 256, 'glorotUniform'), ...denseSpecs('enc.1', 256, 4, 'glorotUniform'), ...denseSpecs('dec.0', 4, D, 'glorotUniform')],
  encode: (p, x) => dense(p, 'enc.1', tf.relu(dense(p, 'enc.0', x))),
  decode: (p, z) => dense(p, 'dec.0', z),
};
const x = lowRankMatrix(192, D, 3);
const settings: TrainSettings = { epochs: 2, batchSize: 64, learningRate: 0.01, lrSchedule: 'constant', validationSplit: 0, patience: 0, seed: 5 };

const teams: GemmTeamHandle[] = [];
beforeAll(async () => {
  // As the CLI does: workers first, so the backend starts on a shared heap.
  useTrainingWorkers();
  await setupBackend('wasm');
  // The CLI's starter, recording each team so the test sees what it did.
  registerGemmTeamStarter(async (backend) => {
    const team = await startGemmTeam({ backend });
    if (team) teams.push(team);
    return team;
  });
});
afterAll(() => useTrainingWorkers());

async function fit(workers: number) {
  const model = reconstructionModel(wide, ParamStore.initialise(wide.params, createRng(11)));
  const events: ProgressEvent[] = [];
  // One FLOP per row: far below what a replica's shard needs, so usefulWorkers keeps one thread.
  const result = await trainModel(model, x, { ...settings, workers }, { flopsPerRow: 1, onProgress: (e) => events.push(e) });
  const weights: WeightValues = model.store.snapshot();
  model.store.dispose();
  return { result, weights, events };
}

describe('a fit on one thread of several uses a product helper', () => {
  it('trains bit for bit as one thread, with the helper taking the large products, and stops it after', async () => {
    const one = await fit(1);
    expect(one.result.productHelper).toBe(false);
    expect(teams).toHaveLength(0);
    const two = await fit(2);
    expect(two.result.threads).toBe(1);
    expect(two.result.productHelper).toBe(true);
    expect(teams).toHaveLength(1);
    // Two large products a step (the first layer's forward pass and its weight gradient), 3 batches an epoch,
    // 2 epochs; the collapse probes' encodes add a few. Calibration runs some alone (timing both ways); the
    // first product of each shape is always shared.
    expect(teams[0]!.products + teams[0]!.keptAlone).toBeGreaterThanOrEqual(2 * 3 * 2);
    expect(teams[0]!.products).toBeGreaterThanOrEqual(2);
    expect(teams[0]!.failure).toBe('stopped');
    expect(teams[0]!.inPlace).toBe(true);
    const line = two.events.find((e) => e.phase === 'workers')?.message ?? '';
    expect(line).toMatch(/^training on 1 thread instead of 2: .*a helper thread takes half of each large matrix product instead/);
    for (const [name, values] of one.weights) expect(Buffer.from(two.weights.get(name)!.buffer).equals(Buffer.from(values.buffer))).toBe(true);
    expect(two.result.history.map((h) => h.loss)).toEqual(one.result.history.map((h) => h.loss));
  }, 60_000);
});
