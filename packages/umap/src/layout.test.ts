import { createRng, LatentkitError } from '@latentkit/core';
import { UMAP } from 'umap-js';
import { describe, expect, it } from 'vitest';
import { threeClusters } from './__fixtures__/clusters.js';
import { curveParameters, fitUmap } from './fit.js';
import { knnGraph } from './knn-graph.js';
import { startLayout, type LayoutInput } from './layout.js';
import { setUpLayout } from './layout-setup.js';
import { trainingRows } from './neighbors.js';
import { instantiateLayoutKernel } from './wasm/layout-kernel.js';
import { seedKernelRng } from './wasm/place-kernel.js';

const ROWS = 300;
const FEATURES = 10;
const EPOCHS = 50;

/** 300 × 10 seeded normal rows, with a few exact duplicates so coinciding points occur. */
function randomRows(): Float32Array {
  const rng = createRng(42);
  const x = Float32Array.from({ length: ROWS * FEATURES }, () => rng.normal());
  for (const [to, from] of [[7, 3], [150, 149], [299, 0]] as const) x.copyWithin(to * FEATURES, from * FEATURES, (from + 1) * FEATURES);
  return x;
}

/** umap-js's own fit up to the layout: initializeFit on our graph, drawing from createRng(seed). */
async function umapJsInitialized(x: Float32Array, dim: number, seed: number): Promise<UMAP> {
  const rng = createRng(seed);
  const umap = new UMAP({ nComponents: dim, nNeighbors: 10, nEpochs: EPOCHS, random: () => rng.next() });
  const graph = await knnGraph(trainingRows(x, ROWS, FEATURES, 'euclidean'), 10);
  umap.setPrecomputedKNN(graph.knnIndices, graph.knnDistances);
  umap.initializeFit(Array.from({ length: ROWS }, (_, i) => Array.from(x.subarray(i * FEATURES, (i + 1) * FEATURES))));
  return umap;
}

/** Ours: the same set-up on typed arrays (layout-setup.ts). */
async function ourSetup(x: Float32Array, dim: number, seed: number, nEpochs = EPOCHS): Promise<LayoutInput> {
  const graph = await knnGraph(trainingRows(x, ROWS, FEATURES, 'euclidean'), 10);
  const { a, b } = curveParameters({ spread: 1, minDist: 0.1 });
  return setUpLayout(new UMAP(), graph, { nNeighbors: 10, dim, nEpochs, a, b }, createRng(seed));
}

/** The first index where two float64 arrays differ in any bit, as a readable line ('identical' if none). */
function firstDifference(got: ArrayLike<number>, want: ArrayLike<number>): string {
  if (got.length !== want.length) return `lengths ${got.length} vs ${want.length}`;
  for (let i = 0; i < got.length; i++) if (!Object.is(got[i], want[i])) return `differs at ${i}: ${got[i]} vs ${want[i]}`;
  return 'identical';
}

describe('layout kernel', () => {
  const x = randomRows();

  it("sets up what umap-js's initializeFit sets up, value for value (edges, periods, start, epochs)", async () => {
    for (const nEpochs of [EPOCHS, 0]) {
      const rng = createRng(4);
      const umap = new UMAP({ nComponents: 3, nNeighbors: 10, nEpochs, random: () => rng.next() });
      const graph = await knnGraph(trainingRows(x, ROWS, FEATURES, 'euclidean'), 10);
      umap.setPrecomputedKNN(graph.knnIndices, graph.knnDistances);
      const epochs = umap.initializeFit(Array.from({ length: ROWS }, (_, i) => Array.from(x.subarray(i * FEATURES, (i + 1) * FEATURES))));
      const state = (umap as unknown as { optimizationState: { head: number[]; tail: number[]; epochsPerSample: number[]; a: number; b: number } }).optimizationState;
      const ours = await ourSetup(x, 3, 4, nEpochs);
      expect(ours.epochs).toBe(epochs);
      expect([ours.a, ours.b]).toEqual([state.a, state.b]);
      expect(ours.head.length).toBeGreaterThan(ROWS * 10);
      expect(firstDifference(ours.head, state.head)).toBe('identical');
      expect(firstDifference(ours.tail, state.tail)).toBe('identical');
      expect(firstDifference(ours.epochsPerSample, state.epochsPerSample)).toBe('identical');
      expect(firstDifference(ours.embedding, umap.getEmbedding().flat())).toBe('identical');
    }
  });

  for (const dim of [2, 3, 16]) {
    it(`gives the layout of umap-js's step() loop bit for bit (${ROWS}×${FEATURES}, d=${dim}, ${EPOCHS} epochs)`, async () => {
      const reference = await umapJsInitialized(x, dim, 5);
      const input = await ourSetup(x, dim, 5);
      const layout = await startLayout(input, 5, input.embedding.length);
      for (let epoch = 0; epoch < EPOCHS; epoch++) {
        reference.step();
        layout.step();
      }
      const got = layout.embedding();
      layout.dispose();
      // The layout moved (so the comparison means something), and every float64 is the same.
      expect(got.some((v, i) => v !== input.embedding[i])).toBe(true);
      expect(firstDifference(got, reference.getEmbedding().flat())).toBe('identical');
    });
  }

  it("continues createRng's sequence after skipped draws, as umap-js's tauRandInt draws", async () => {
    const { kernel } = await instantiateLayoutKernel(1);
    for (const [seed, skipped, n] of [[0, 0, 300], [5, 1234, 8000], [0xffffffff, 7, 3]] as const) {
      seedKernelRng(kernel, seed);
      kernel.skipDraws(skipped);
      const rng = createRng(seed);
      for (let i = 0; i < skipped; i++) rng.next();
      const want = Array.from({ length: 100 }, () => Math.floor(rng.next() * n));
      expect(Array.from({ length: 100 }, () => kernel.drawInt(n))).toEqual(want);
    }
  });

  it('refuses to run after dispose()', async () => {
    const input = await ourSetup(x, 2, 1);
    const layout = await startLayout(input, 1, input.embedding.length);
    layout.step();
    layout.dispose();
    expect(() => layout.step()).toThrow(LatentkitError);
    expect(() => layout.embedding()).toThrow('umap layout: used after dispose()');
  });

  it('a fit cancelled mid-layout leaves nothing behind: the next fit with the seed gives the same embedding', async () => {
    const data = threeClusters(40, 8, 3);
    const settings = { latentDim: 2, options: { nNeighbors: 10, nEpochs: 40 } };
    const first = await fitUmap(data, settings, { seed: 9 });
    first.model.dispose();
    const stop = new AbortController();
    const cancelled = fitUmap(data, settings, { seed: 9, signal: stop.signal, onProgress: (e) => { if (e.epoch === 20) stop.abort(); } });
    await expect(cancelled).rejects.toMatchObject({ code: 'E_ABORTED' });
    const again = await fitUmap(data, settings, { seed: 9 });
    again.model.dispose();
    expect(Array.from(again.embedding!.data)).toEqual(Array.from(first.embedding!.data));
  });
});
