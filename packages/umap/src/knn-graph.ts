import { throwIfAborted } from '@latentkit/core';
import { nearestRowsBlock } from './block-search.js';
import type { Neighbors, TrainingRows } from './neighbors.js';
import { SelfSearch } from './self-search.js';
import { releaseKernelFor } from './wasm/knn-kernel.js';
import { createYielder } from './yield.js';

/** umap-js's k-nearest-neighbour graph: per row, neighbour indices and distances, nearest first. */
export interface KnnGraph {
  readonly knnIndices: number[][];
  readonly knnDistances: number[][];
}

/** Rows searched between yields: two kernel query blocks (a multiple of 64), well under a second on MNIST. */
const GRAPH_BATCH = 128;
/** Rough share of the graph's time spent scanning, for the progress fraction. */
const SCAN_SHARE = 0.9;

/**
 * The exact k-nearest-neighbour graph of the training rows, in place of umap-js's approximate NN-descent
 * (the fit's set-up, layout-setup.ts, takes it as umap-js's setPrecomputedKNN would). umap-js's convention: each row's list starts with the row itself at
 * distance 0 (its fuzzy set skips the first entry and gives a self edge no weight), then the other k − 1
 * nearest rows by distance, ties to the lower index. Yields to the event loop between batches, so a
 * cancel can land; `onFraction` reports the share of rows done.
 */
export async function knnGraph(train: TrainingRows, k: number, options: { signal?: AbortSignal; onFraction?: (fraction: number) => void } = {}): Promise<KnnGraph> {
  const { rows: n, cols, data } = train;
  const knnIndices: number[][] = [];
  const knnDistances: number[][] = [];
  const pause = createYielder();
  const step = async (done: number) => {
    options.onFraction?.(done);
    await pause();
    throwIfAborted(options.signal, 'umap fit');
  };
  const search = new SelfSearch(train, k);
  if (search.fits) {
    // Scanning is most of the work (each pair once); settling re-ranks each row's candidates exactly.
    for (let first = 0; first < n; first += GRAPH_BATCH) {
      search.scan(first, Math.min(GRAPH_BATCH, n - first));
      await step((SCAN_SHARE * Math.min(n, first + GRAPH_BATCH)) / n);
    }
  }
  for (let first = 0; first < n; first += GRAPH_BATCH) {
    const count = Math.min(GRAPH_BATCH, n - first);
    const batch = search.fits ? search.settle(first, count) : nearestRowsBlock(train, data.subarray(first * cols, (first + count) * cols), count, k);
    for (let b = 0; b < count; b++) {
      const row = selfFirst(first + b, batch[b]!, k);
      knnIndices.push(row.indices);
      knnDistances.push(row.distances);
    }
    await step(search.fits ? 1 - (1 - SCAN_SHARE) * (1 - (first + count) / n) : (first + count) / n);
  }
  // The kernel's copy of the rows (and its reference to them) is of no use after the fit: let both go.
  releaseKernelFor(train);
  return { knnIndices, knnDistances };
}

/** umap-js's order: the row itself first at distance 0, then its k − 1 nearest others (duplicates may precede it). */
function selfFirst(self: number, { index, distance }: Neighbors, k: number): { indices: number[]; distances: number[] } {
  const indices = [self];
  const distances = [0];
  for (let p = 0; p < k && indices.length < k; p++) {
    if (index[p] === self || index[p]! < 0) continue;
    indices.push(index[p]!);
    distances.push(distance[p]!);
  }
  return { indices, distances };
}
