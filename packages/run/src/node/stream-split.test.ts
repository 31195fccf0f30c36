import { isLatentkitError, type RowBatch, type RowBatchSource } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { matrixSource, type StreamCalls } from '../__fixtures__/stream-plugins.js';
import { toyData } from '../__fixtures__/toy-plugins.js';
import { maskedRowSource, splitRowSources, testRowMask } from './stream-split.js';

const whole = toyData(50);
const mask = testRowMask(50, 0.2, 3, 'toy');

/** A batch as plain numbers, to compare batches from two sources. */
const plain = (b: RowBatch) => ({ offset: b.offset, rows: b.x.rows, data: Array.from(b.x.data) });

async function collect(source: RowBatchSource, batchRows?: number) {
  const out: ReturnType<typeof plain>[] = [];
  for await (const b of source.batches(batchRows === undefined ? {} : { batchRows })) out.push(plain(b));
  return out;
}

/** Pulls both sides as PCA's paired statistics do: next from the side that has seen the smaller fraction. */
async function sideBySide(train: RowBatchSource, test: RowBatchSource) {
  const sides = [train, test].map((s) => ({ s, it: s.batches()[Symbol.asyncIterator](), seen: 0, done: false, got: [] as ReturnType<typeof plain>[] }));
  for (;;) {
    const open = sides.filter((x) => !x.done);
    if (open.length === 0) break;
    const side = open.reduce((a, b) => (b.seen / b.s.rows! < a.seen / a.s.rows! ? b : a));
    const r = await side.it.next();
    if (r.done) {
      side.done = true;
    } else {
      side.got.push(plain(r.value));
      side.seen += r.value.x.rows;
    }
  }
  return sides.map((x) => x.got);
}

describe('splitRowSources', () => {
  it('reads the source once when both sides are pulled side by side, giving maskedRowSource batches and offsets', async () => {
    const alone: StreamCalls = { passes: 0, opened: 0 };
    const expected = [await collect(maskedRowSource(matrixSource(whole.x, alone), mask, 'train')), await collect(maskedRowSource(matrixSource(whole.x, alone), mask, 'test'))];
    expect(alone.passes).toBe(2);
    const shared: StreamCalls = { passes: 0, opened: 0 };
    const split = splitRowSources(matrixSource(whole.x, shared), mask);
    expect([split.train.rows, split.test.rows]).toEqual([40, 10]);
    const got = await sideBySide(split.train, split.test);
    expect(shared.passes).toBe(1);
    expect(got).toEqual(expected);
    expect(got[1]!.reduce((n, b) => n + b.rows, 0)).toBe(10);
  });

  it('reads the source once per pass of a side alone, and keeps each side within its own batchRows', async () => {
    const calls: StreamCalls = { passes: 0, opened: 0 };
    const split = splitRowSources(matrixSource(whole.x, calls), mask);
    const train = await collect(split.train);
    const test = await collect(split.test, 1);
    expect(calls.passes).toBe(2);
    expect(train).toEqual(await collect(maskedRowSource(matrixSource(whole.x, calls), mask, 'train')));
    expect(test.map((b) => b.rows)).toEqual(Array.from({ length: 10 }, () => 1));
    expect(test.map((b) => b.offset)).toEqual(Array.from({ length: 10 }, (_, i) => i));
  });

  it('refuses a source that gives more rows than its mask covers, in one line naming it', async () => {
    const split = splitRowSources(matrixSource(toyData(60).x, { passes: 0, opened: 0 }), mask);
    const error = await sideBySide(split.train, split.test).catch((e: unknown) => e);
    expect(isLatentkitError(error) && error.code).toBe('E_INPUT_FORMAT');
    expect((error as Error).message).toMatch(/^toy\.npy gave more rows than the 50 its header declares$/);
  });
});
