import { createRng, type Dataset } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { expectLatentkitError } from './__fixtures__/expect-error.js';
import { splitMembership, stratifiedSplit } from './split.js';

/** Row i has the single feature value i, so split rows can be traced back to their source. */
function traced(labels: number[] | undefined, n = labels?.length ?? 0): Dataset {
  return {
    name: 'traced',
    x: { data: Float32Array.from({ length: n }, (_, i) => i), rows: n, cols: 1 },
    ...(labels ? { labels: Int32Array.from(labels), labelNames: ['a', 'b', 'c'] } : {}),
  };
}
const ids = (d: Dataset): number[] => Array.from(d.x.data);
function countBy(labels: Int32Array): Record<number, number> {
  const out: Record<number, number> = {};
  for (const l of labels) out[l] = (out[l] ?? 0) + 1;
  return out;
}

describe('stratifiedSplit', () => {
  const labels = [0, 0, 0, 0, 0, 1, 1, 1, 2, 2];

  it('allocates test rows proportionally with largest remainder (hand-checked)', () => {
    // Exact quotas 4·5/10 = 2, 4·3/10 = 1.2, 4·2/10 = 0.8 → floors 2,1,0; the one left goes to the 0.8.
    const { train, test } = stratifiedSplit(traced(labels), { test: 4 });
    expect(countBy(test.labels!)).toEqual({ 0: 2, 1: 1, 2: 1 });
    expect(countBy(train.labels!)).toEqual({ 0: 3, 1: 2, 2: 1 });
  });

  it('breaks remainder ties toward the lower label', () => {
    const { test } = stratifiedSplit(traced([1, 1, 1, 0, 0, 0]), { test: 3 });
    expect(countBy(test.labels!)).toEqual({ 0: 2, 1: 1 });
  });

  it('treats a value in (0, 1) as a fraction', () => {
    const { train, test } = stratifiedSplit(traced(labels), { test: 0.4 });
    expect([train.x.rows, test.x.rows]).toEqual([6, 4]);
  });

  it('partitions the rows, keeping each row with its label and metadata', () => {
    const d = traced(labels);
    const { train, test } = stratifiedSplit(d, { test: 4, seed: 3 });
    const all = [...ids(train), ...ids(test)].sort((a, b) => a - b);
    expect(all).toEqual(labels.map((_, i) => i));
    for (const part of [train, test]) {
      ids(part).forEach((id, k) => expect(part.labels![k]).toBe(labels[id]));
      expect(part.labelNames).toEqual(['a', 'b', 'c']);
    }
  });

  it('is deterministic per seed and varies across seeds', () => {
    const d = traced(Array.from({ length: 60 }, (_, i) => i % 3));
    const a = stratifiedSplit(d, { test: 20, seed: 7 });
    const b = stratifiedSplit(d, { test: 20, seed: 7 });
    const c = stratifiedSplit(d, { test: 20, seed: 8 });
    expect(ids(a.test)).toEqual(ids(b.test));
    expect(ids(a.train)).toEqual(ids(b.train));
    expect(ids(a.test)).not.toEqual(ids(c.test));
    expect(stratifiedSplit(d, { test: 20 }).test.x.rows).toBe(20); // seed defaults to 0
  });

  it('shuffles rows rather than keeping them grouped by class', () => {
    const d = traced(Array.from({ length: 100 }, (_, i) => (i < 50 ? 0 : 1)));
    const { train } = stratifiedSplit(d, { test: 20, seed: 1 });
    const sorted = [...ids(train)].sort((a, b) => a - b);
    expect(ids(train)).not.toEqual(sorted);
  });

  it('keeps class proportions within one row for random label sets', () => {
    for (let trial = 0; trial < 20; trial++) {
      const n = 50 + trial * 7;
      const lbl = Array.from({ length: n }, (_, i) => (i * 7919 + trial) % (2 + (trial % 5)));
      const testCount = 5 + trial;
      const { test } = stratifiedSplit(traced(lbl), { test: testCount, seed: trial });
      expect(test.x.rows).toBe(testCount);
      const total = countBy(Int32Array.from(lbl));
      const got = countBy(test.labels!);
      for (const [label, size] of Object.entries(total)) {
        expect(Math.abs((got[Number(label)] ?? 0) - (testCount * size) / n)).toBeLessThan(1);
      }
    }
  });

  it('splits unlabelled data plainly by seed', () => {
    const d = traced(undefined, 10);
    const { train, test } = stratifiedSplit(d, { test: 3, seed: 5 });
    expect([train.x.rows, test.x.rows]).toEqual([7, 3]);
    expect(train.labels).toBeUndefined();
    expect([...ids(train), ...ids(test)].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(ids(stratifiedSplit(d, { test: 3, seed: 5 }).test)).toEqual(ids(test));
  });

  it('carries row ids (from a table id column) with their rows into both parts', () => {
    const d = Object.assign(traced(undefined, 10), { ids: Array.from({ length: 10 }, (_, i) => `id${i}`) });
    const { train, test } = stratifiedSplit(d, { test: 4, seed: 2 });
    for (const part of [train, test]) expect((part as { ids?: string[] }).ids).toEqual(ids(part).map((i) => `id${i}`));
    expect((stratifiedSplit(traced(undefined, 10), { test: 4 }).train as { ids?: string[] }).ids).toBeUndefined();
  });

  it('refuses test sizes that leave a side empty or are not counts', () => {
    const d = traced(labels);
    for (const test of [0, 10, 11, 2.5, -1, 0.01, NaN]) {
      expectLatentkitError(() => stratifiedSplit(d, { test }), 'E_OPTION', /cannot split 10 rows of "traced"/);
    }
  });
});

describe('splitMembership', () => {
  const testIds = (mask: Uint8Array) => Array.from(mask.keys()).filter((i) => mask[i] === 1);
  const sorted = (a: number[]) => [...a].sort((x, y) => x - y);

  it('marks exactly the rows stratifiedSplit puts in the test set, with and without labels', () => {
    for (const seed of [0, 3, 11]) {
      const labels = Array.from({ length: 57 }, (_, i) => (i * 31) % 4);
      for (const lbl of [labels, undefined]) {
        const { test } = stratifiedSplit(traced(lbl, 57), { test: 0.3, seed });
        const mask = splitMembership(57, lbl, { test: 0.3, seed });
        expect(testIds(mask)).toEqual(sorted(ids(test)));
      }
    }
  });

  it('keeps the unlabelled rule streamed splits used: the first round(test·n) rows of one seeded permutation', () => {
    const n = 1000;
    const order = createRng(9).permutation(n);
    const former = sorted(Array.from(order.subarray(0, 200)));
    expect(testIds(splitMembership(n, undefined, { test: 0.2, seed: 9 }))).toEqual(former);
    expect(sorted(ids(stratifiedSplit(traced(undefined, n), { test: 0.2, seed: 9 }).test))).toEqual(former);
  });

  it('refuses a bad test size naming the data, and labels of the wrong length', () => {
    expectLatentkitError(() => splitMembership(10, undefined, { test: 10, name: 'rows.npy' }), 'E_OPTION', /cannot split 10 rows of "rows.npy" with test=10/);
    expectLatentkitError(() => splitMembership(10, [0, 1], { test: 2, name: 'rows.npy' }), 'E_SHAPE', /cannot split "rows.npy": 2 labels for 10 rows/);
  });
});
