import { LatentkitError, type Matrix } from '@latentkit/core';
import { dot, dots4x1, dots4x2 } from './dot-tiles.js';

export interface Neighbours {
  /** queries.rows × k reference row indices, nearest first. */
  readonly indices: Int32Array;
  /** Matching squared Euclidean distances. */
  readonly distances: Float64Array;
}

// Reference rows scanned per block: 128 rows of 784 float32 ≈ 400 KB, so a block stays in cache
// while every query group passes over it.
const REFERENCE_BLOCK = 128;

function squaredNorms(m: Matrix): Float64Array {
  const out = new Float64Array(m.rows);
  const { cols: d, data } = m;
  for (let i = 0; i < m.rows; i++) {
    let s = 0;
    for (let j = i * d, end = j + d; j < end; j++) s += data[j]! * data[j]!;
    out[i] = s;
  }
  return out;
}

/** Keeps the k smallest (distance, index) pairs per query, sorted; earlier indices win ties. */
class TopK {
  readonly dist: Float64Array;
  readonly idx: Int32Array;
  constructor(readonly queries: number, readonly k: number) {
    this.dist = new Float64Array(queries * k).fill(Infinity);
    this.idx = new Int32Array(queries * k).fill(-1);
  }

  offer(q: number, distance: number, index: number): void {
    const base = q * this.k;
    let pos = base + this.k - 1;
    if (!(distance < this.dist[pos]!)) return;
    while (pos > base && distance < this.dist[pos - 1]!) {
      this.dist[pos] = this.dist[pos - 1]!;
      this.idx[pos] = this.idx[pos - 1]!;
      pos--;
    }
    this.dist[pos] = distance;
    this.idx[pos] = index;
  }
}

function exactSquaredDistance(a: Float32Array, ao: number, b: Float32Array, bo: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const diff = a[ao + j]! - b[bo + j]!;
    s += diff * diff;
  }
  return s;
}

/**
 * The k nearest reference rows of every query row by squared Euclidean distance. Candidates are
 * ranked with ‖q‖² + ‖r‖² − 2q·r over cache-sized reference blocks, in 4-query × 2-reference tiles
 * (see dot-tiles.ts); the reported distances are then recomputed
 * directly, so an exact copy reports 0 and rounding in the expansion never shows.
 */
export function nearestNeighbours(queries: Matrix, reference: Matrix, k = 1): Neighbours {
  if (queries.cols !== reference.cols) {
    throw new LatentkitError('E_SHAPE', `queries have ${queries.cols} features but the reference rows have ${reference.cols}`);
  }
  if (!Number.isInteger(k) || k < 1 || k > reference.rows) {
    throw new LatentkitError('E_OPTION', `k must be an integer in [1, ${reference.rows}] (the reference row count), got ${k}`);
  }
  const d = queries.cols;
  const q = queries.data;
  const r = reference.data;
  const qNorm = squaredNorms(queries);
  const rNorm = squaredNorms(reference);
  const top = new TopK(queries.rows, k);

  const tile = new Float64Array(8);
  for (let blockStart = 0; blockStart < reference.rows; blockStart += REFERENCE_BLOCK) {
    const blockEnd = Math.min(reference.rows, blockStart + REFERENCE_BLOCK);
    let qi = 0;
    for (; qi + 4 <= queries.rows; qi += 4) {
      let ri = blockStart;
      for (; ri + 2 <= blockEnd; ri += 2) {
        dots4x2(q, qi * d, r, ri * d, (ri + 1) * d, d, tile);
        for (let t = 0; t < 4; t++) {
          top.offer(qi + t, qNorm[qi + t]! + rNorm[ri]! - 2 * tile[t]!, ri);
          top.offer(qi + t, qNorm[qi + t]! + rNorm[ri + 1]! - 2 * tile[4 + t]!, ri + 1);
        }
      }
      if (ri < blockEnd) {
        dots4x1(q, qi * d, r, ri * d, d, tile);
        for (let t = 0; t < 4; t++) top.offer(qi + t, qNorm[qi + t]! + rNorm[ri]! - 2 * tile[t]!, ri);
      }
    }
    for (; qi < queries.rows; qi++) {
      for (let ri = blockStart; ri < blockEnd; ri++) top.offer(qi, qNorm[qi]! + rNorm[ri]! - 2 * dot(q, qi * d, r, ri * d, d), ri);
    }
  }

  // Report exact distances, re-sorted in case rounding in the expansion swapped near-ties.
  const indices = new Int32Array(queries.rows * k);
  const distances = new Float64Array(queries.rows * k);
  for (let qi = 0; qi < queries.rows; qi++) {
    const found = Array.from({ length: k }, (_, t) => {
      const index = top.idx[qi * k + t]!;
      return { index, distance: exactSquaredDistance(q, qi * d, r, index * d, d) };
    }).sort((a, b) => a.distance - b.distance || a.index - b.index);
    found.forEach((f, t) => {
      indices[qi * k + t] = f.index;
      distances[qi * k + t] = f.distance;
    });
  }
  return { indices, distances };
}
