import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createMatrix, createRng, type Matrix, type ProgressEvent, type RowBatchSource } from '@latentkit/core';
import { fitAutoencoderStream, setupBackend, type AutoencoderReducer } from '@latentkit/ae-core';
import { denseAeDefinition, denseAePlugin } from './index.js';

/** n rows in [0, 1] near a 2-dimensional surface in 16 dimensions (seeded). */
function toyRows(n: number, seed: number): Matrix {
  const rng = createRng(seed);
  const D = 16;
  const basis = Array.from({ length: 2 }, () => Array.from({ length: D }, () => rng.normal()));
  const data = new Float32Array(n * D);
  for (let i = 0; i < n; i++) {
    const a = rng.normal(), b = rng.normal();
    for (let j = 0; j < D; j++) data[i * D + j] = 1 / (1 + Math.exp(-(a * basis[0]![j]! + b * basis[1]![j]! + 0.05 * rng.normal())));
  }
  return createMatrix(n, D, data);
}

/**
 * x's rows, at most `size` per batch (fewer when asked), every batches() call a new pass, instrumented: the
 * largest batch it handed out and, for each pass, the rows it has handed out so far.
 */
function instrumentedSource(x: Matrix, size: number) {
  const state = { passes: 0, largestBatch: 0, handedOut: [] as number[] };
  const source: RowBatchSource = {
    name: 'toy rows (streamed)',
    cols: x.cols,
    rows: x.rows,
    async *batches(options) {
      const pass = state.passes++;
      state.handedOut[pass] = 0;
      const step = Math.min(size, options?.batchRows ?? size);
      for (let offset = 0; offset < x.rows; offset += step) {
        const end = Math.min(x.rows, offset + step);
        state.largestBatch = Math.max(state.largestBatch, end - offset);
        state.handedOut[pass]! += end - offset;
        yield { x: createMatrix(end - offset, x.cols, x.data.slice(offset * x.cols, end * x.cols)), offset };
      }
    },
  };
  return { source, state };
}

const options = { hidden: [8], epochs: 3, batchSize: 16, learningRate: 0.01 } as const;
const tiny = { latentDim: 2, ...options } as const;
const weightsOf = (m: AutoencoderReducer) => [...m.params.snapshot().values()].map((v) => Array.from(v));

describe('dense-ae fitStream', () => {
  const x = toyRows(320, 1);

  it('gives the same model for the same seed (another for another seed), and its loss decreases', async () => {
    const fit = async (seed: number) => {
      const { model, result } = await denseAePlugin.fitStream(instrumentedSource(x, 32).source, { latentDim: 2, options: denseAePlugin.options.parse(options) }, { seed });
      const w = weightsOf(model);
      model.dispose();
      return { w, history: result.history! };
    };
    const a = await fit(3);
    const again = await fit(3);
    const other = await fit(4);
    expect(again.w).toEqual(a.w);
    expect(again.history.map((p) => p.loss)).toEqual(a.history.map((p) => p.loss));
    expect(other.w).not.toEqual(a.w);
    expect(a.history).toHaveLength(3);
    expect(a.history[2]!.loss).toBeLessThan(0.9 * a.history[0]!.loss);
  });

  it('reads the source batch by batch: never more rows ahead of training than the shuffle window, and no tensors leak', async () => {
    const window = 48;
    const { source, state } = instrumentedSource(x, 24);
    // Rows the training steps of each epoch have consumed (batch events come after each step).
    const trained: number[] = [];
    let mostAhead = 0;
    const onProgress = (e: ProgressEvent) => {
      if (e.phase === 'train' && e.message === undefined) trained[e.epoch!] = e.batch! * tiny.batchSize;
    };
    const watched: RowBatchSource = {
      ...source,
      async *batches(options) {
        for await (const batch of source.batches(options)) {
          const pass = state.passes - 1;
          // Pass 0 is the first read (counting rows); pass k is epoch k.
          if (pass > 0) mostAhead = Math.max(mostAhead, state.handedOut[pass]! - (trained[pass] ?? 0));
          yield batch;
        }
      },
    };
    await setupBackend('wasm');
    const before = tf.memory().numTensors;
    const { model } = await fitAutoencoderStream(denseAeDefinition, watched, tiny, { seed: 2, onProgress }, { shuffleRows: window });
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(state.passes).toBe(1 + tiny.epochs);
    expect(state.largestBatch).toBeLessThanOrEqual(24);
    // Ahead of the steps: the window, the batch being assembled and the batch just read; far below the 320 rows.
    expect(mostAhead).toBeGreaterThan(window);
    expect(mostAhead).toBeLessThanOrEqual(window + tiny.batchSize + 24);
  });
});
