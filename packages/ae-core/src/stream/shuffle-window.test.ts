import { describe, expect, it } from 'vitest';
import { createRng, type Matrix } from '@latentkit/core';
import { ShuffleWindow } from './shuffle-window.js';

/** Rows whose single value is their index; every batch the window hands on, in order. */
function pass(n: number, capacity: number, batchSize: number, seed: number): { batches: Matrix[]; heldBeforeFirst: number } {
  const window = new ShuffleWindow(capacity, 1, batchSize, createRng(seed));
  const batches: Matrix[] = [];
  let heldBeforeFirst = -1;
  for (let i = 0; i < n; i++) {
    const full = window.push(Float32Array.of(i), 0);
    if (full) {
      if (heldBeforeFirst < 0) heldBeforeFirst = i;
      batches.push(full);
    }
  }
  batches.push(...window.drain());
  return { batches, heldBeforeFirst };
}

const order = (batches: Matrix[]) => batches.flatMap((b) => Array.from(b.data));

describe('ShuffleWindow', () => {
  it('hands on every row exactly once, in batches of batchSize (the last shorter)', () => {
    const { batches } = pass(103, 16, 10, 1);
    expect(batches.map((b) => b.rows)).toEqual([...Array(10).fill(10), 3]);
    expect(order(batches).sort((a, b) => a - b)).toEqual(Array.from({ length: 103 }, (_, i) => i));
  });

  it('shuffles, by its seed alone', () => {
    const a = order(pass(200, 32, 8, 4).batches);
    expect(a).not.toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(order(pass(200, 32, 8, 4).batches)).toEqual(a);
    expect(order(pass(200, 32, 8, 5).batches)).not.toEqual(a);
  });

  it('holds at most `capacity` rows: the first batch completes only after capacity + batchSize rows', () => {
    const { heldBeforeFirst, batches } = pass(200, 32, 8, 2);
    // Rows 0…31 fill the window, then each row pushes one out: the 8th of those completes the first batch.
    expect(heldBeforeFirst).toBe(32 + 8 - 1);
    // A row moves at most `capacity` places earlier than its position in the source.
    order(batches).forEach((row, at) => expect(row).toBeLessThanOrEqual(at + 32));
  });

  it('gives fresh buffers: a batch handed on is never overwritten', () => {
    const { batches } = pass(64, 8, 4, 3);
    const first = Array.from(batches[0]!.data);
    expect(batches[1]!.data).not.toBe(batches[0]!.data);
    expect(Array.from(batches[0]!.data)).toEqual(first);
  });
});
