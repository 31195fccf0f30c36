import { describe, expect, it } from 'vitest';
import { createMatrix, ReducerRegistry, type Matrix, type ModelBundle, type ProgressEvent, type RowBatchSource } from '@latentkit/core';
import { lowRankMatrix, tinyDefinition } from '../__fixtures__/tiny.js';
import { fitAutoencoder } from '../autoencoder-fit.js';
import { checkpointInfoOf } from '../checkpoint.js';
import { defineAutoencoderPlugin } from '../plugin.js';
import { dataFingerprint } from '../resume.js';
import { fitAutoencoderStream } from './fit-stream.js';

const x = lowRankMatrix(160, 8, 2, 3);

/** x's rows in batches of `size` (a copy each), every batches() call a new pass; `rowsOnPass` may change a pass's length. */
function sourceOf(m: Matrix, size: number, rowsOnPass: (pass: number) => number = () => m.rows): RowBatchSource & { passes: number } {
  const source = {
    name: 'toy stream',
    cols: m.cols,
    rows: m.rows,
    passes: 0,
    async *batches(options?: { batchRows?: number }) {
      const n = rowsOnPass(source.passes++);
      const step = Math.min(size, options?.batchRows ?? size);
      for (let offset = 0; offset < n; offset += step) {
        const end = Math.min(n, offset + step);
        yield { x: createMatrix(end - offset, m.cols, m.data.slice(offset * m.cols, end * m.cols)), offset };
      }
    },
  };
  return source;
}

const weightsOf = async (fit: ReturnType<typeof fitAutoencoderStream>) => {
  const { model, result } = await fit;
  const w = [...model.params.snapshot().values()].map((v) => Array.from(v));
  model.dispose();
  return { w, result };
};

describe('fitAutoencoderStream', () => {
  it('gives the same model however the source cuts its batches (rows are shuffled through one window)', async () => {
    const settings = { latentDim: 2, epochs: 2, validationSplit: 0.2 };
    const a = await weightsOf(fitAutoencoderStream(tinyDefinition, sourceOf(x, 7), settings, { seed: 4 }, { shuffleRows: 32 }));
    const b = await weightsOf(fitAutoencoderStream(tinyDefinition, sourceOf(x, 50), settings, { seed: 4 }, { shuffleRows: 32 }));
    expect(b.w).toEqual(a.w);
    // Validation rows are chosen by a hash of the row position: about 20% of them, with a validation loss.
    expect(a.result.info?.validationRows).toBeGreaterThan(16);
    expect(a.result.info?.validationRows).toBeLessThan(48);
    expect(a.result.info?.trainRows).toBe(160 - (a.result.info?.validationRows as number));
    expect(a.result.history?.every((p) => Number.isFinite(p.valLoss))).toBe(true);
  });

  it('reports batch and epoch progress over the training rows, and stops with E_ABORTED when asked', async () => {
    const events: ProgressEvent[] = [];
    const { model } = await fitAutoencoderStream(tinyDefinition, sourceOf(x, 20), { latentDim: 2, epochs: 1, batchSize: 32 }, { seed: 1, onProgress: (e) => events.push(e) });
    model.dispose();
    const batchEvents = events.filter((e) => e.phase === 'train' && e.message === undefined);
    expect(batchEvents.map((e) => e.batch)).toEqual([1, 2, 3, 4, 5]);
    expect(batchEvents.every((e) => e.batches === 5)).toBe(true);
    expect(events.some((e) => e.phase === 'read')).toBe(true);
    expect(events.at(-1)?.message).toMatch(/^epoch 1\/1 loss/);

    const controller = new AbortController();
    const aborted = fitAutoencoderStream(tinyDefinition, sourceOf(x, 20), { latentDim: 2, epochs: 3 }, {
      seed: 1,
      signal: controller.signal,
      onProgress: (e) => {
        if (e.epoch === 2 && e.batch === 1) controller.abort();
      },
    });
    await expect(aborted).rejects.toMatchObject({ code: 'E_ABORTED' });
  });

  it('refuses a source that changes between passes, non-finite rows and a too-large d, each in one line', async () => {
    const shrinking = sourceOf(x, 20, (pass) => (pass === 0 ? x.rows : x.rows - 20));
    await expect(fitAutoencoderStream(tinyDefinition, shrinking, { latentDim: 2, epochs: 1 }, { seed: 1 })).rejects.toMatchObject({
      code: 'E_INPUT_FORMAT',
      message: expect.stringMatching(/gave 140 rows in epoch 1 but 160 in its first pass/),
    });
    const bad = createMatrix(x.rows, x.cols, x.data.slice());
    bad.data[5 * 8 + 3] = Number.NaN;
    await expect(fitAutoencoderStream(tinyDefinition, sourceOf(bad, 20), { latentDim: 2 }, { seed: 1 })).rejects.toMatchObject({ code: 'E_INPUT_VALUE' });
    await expect(fitAutoencoderStream(tinyDefinition, sourceOf(x, 20), { latentDim: 8 })).rejects.toMatchObject({ code: 'E_OPTION', message: expect.stringMatching(/latentDim 8 must be smaller/) });
  });

  it('checkpoints every epoch, and resumed after an abort ends with the weights of an uninterrupted fit', async () => {
    const settings = { latentDim: 2, epochs: 3, validationSplit: 0.2 };
    const full = await weightsOf(fitAutoencoderStream(tinyDefinition, sourceOf(x, 7), settings, { seed: 4 }, { shuffleRows: 32 }));
    const checkpoints: ModelBundle[] = [];
    const controller = new AbortController();
    const interrupted = fitAutoencoderStream(tinyDefinition, sourceOf(x, 7), settings, {
      seed: 4,
      signal: controller.signal,
      onCheckpoint: (bundle) => void checkpoints.push(bundle),
      onProgress: (e) => {
        if (e.epoch === 2 && e.batch === 1) controller.abort();
      },
    }, { shuffleRows: 32 });
    await expect(interrupted).rejects.toMatchObject({ code: 'E_ABORTED' });
    expect(checkpoints.map((b) => checkpointInfoOf(b)?.epoch)).toEqual([1]);
    // The fingerprint streamed in batches of 7 rows is the in-memory one of all 160 rows.
    expect(checkpointInfoOf(checkpoints[0]!)).toMatchObject({ dataRows: x.rows, dataFingerprint: dataFingerprint(x) });
    // Resumed from a source cut another way: the shuffle depends on (seed, epoch) only.
    const resumed = await weightsOf(fitAutoencoderStream(tinyDefinition, sourceOf(x, 50), settings, { seed: 4, resumeFrom: checkpoints[0] }, { shuffleRows: 32 }));
    expect(resumed.result.info?.resumedFromEpoch).toBe(1);
    expect(resumed.result.history?.map((p) => [p.loss, p.valLoss])).toEqual(full.result.history?.map((p) => [p.loss, p.valLoss]));
    expect(resumed.w).toEqual(full.w);
  });

  it('shares checkpoints with the in-memory fit both ways, and refuses one of other data or settings', async () => {
    const dataset = { name: 'low-rank', x };
    const keep = (into: ModelBundle[]) => ({ onCheckpoint: (bundle: ModelBundle) => void into.push(bundle) });
    const fromMemory: ModelBundle[] = [];
    (await fitAutoencoder(tinyDefinition, dataset, { latentDim: 2, epochs: 1 }, { seed: 3, ...keep(fromMemory) })).model.dispose();
    const fromStream: ModelBundle[] = [];
    (await fitAutoencoderStream(tinyDefinition, sourceOf(x, 30), { latentDim: 2, epochs: 1 }, { seed: 3, ...keep(fromStream) })).model.dispose();
    expect(checkpointInfoOf(fromStream[0]!)?.dataFingerprint).toBe(checkpointInfoOf(fromMemory[0]!)?.dataFingerprint);

    const streamed = await fitAutoencoderStream(tinyDefinition, sourceOf(x, 30), { latentDim: 2, epochs: 2 }, { seed: 3, resumeFrom: fromMemory[0] });
    expect([streamed.result.info?.resumedFromEpoch, streamed.result.history?.length]).toEqual([1, 2]);
    streamed.model.dispose();
    const inMemory = await fitAutoencoder(tinyDefinition, dataset, { latentDim: 2, epochs: 2 }, { seed: 3, resumeFrom: fromStream[0] });
    expect([inMemory.result.info?.resumedFromEpoch, inMemory.result.history?.length]).toEqual([1, 2]);
    inMemory.model.dispose();

    const other = lowRankMatrix(160, 8, 2, 9);
    await expect(fitAutoencoderStream(tinyDefinition, sourceOf(other, 30), { latentDim: 2, epochs: 2 }, { seed: 3, resumeFrom: fromStream[0] })).rejects.toMatchObject({
      code: 'E_OPTION',
      message: expect.stringMatching(/fitted on different data/),
    });
    // Settings that differ are refused before a row is read.
    const unread = sourceOf(x, 30);
    await expect(fitAutoencoderStream(tinyDefinition, unread, { latentDim: 2, epochs: 2 }, { seed: 5, resumeFrom: fromStream[0] })).rejects.toMatchObject({
      code: 'E_OPTION',
      message: expect.stringMatching(/fitted with seed 3, this fit uses seed 5/),
    });
    expect(unread.passes).toBe(0);
  });

  it('is the plugin’s fitStream: declared as "fit-stream" and reachable through the registry', async () => {
    const registry = new ReducerRegistry();
    registry.register(defineAutoencoderPlugin(tinyDefinition));
    expect(registry.get('tiny-ae').capabilities).toContain('fit-stream');
    const settings = await registry.settings('tiny-ae', 2, { epochs: 1 });
    const source = sourceOf(x, 40);
    const { model, result } = await registry.fitStream('tiny-ae', source, settings, { seed: 2 });
    expect(source.passes).toBe(2);
    expect(result.info?.streamed).toBe(true);
    expect((await model.encode!(x)).cols).toBe(2);
    model.dispose();
  });
});
