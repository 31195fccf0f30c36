import type { RunData } from '@latentkit/run';
import { describe, expect, it } from 'vitest';
import { isImageRun, pointFields, pointSummary, scoresByPoint } from './point-fields.js';

function run(options: { labels?: boolean; imageShape?: [number, number, number] }): RunData {
  return {
    manifest: { data: { n: 3, features: 2, hasLabels: Boolean(options.labels), labelNames: ['cat', 'dog'], ...(options.imageShape ? { imageShape: options.imageShape } : {}) } },
    n: 3,
    features: 2,
    split: Uint8Array.from([0, 1, 1]),
    ...(options.labels ? { labels: Int32Array.from([1, 0, 1]) } : {}),
  } as unknown as RunData;
}

describe('point fields', () => {
  const score = { name: 'combined score', values: scoresByPoint(3, Int32Array.from([1, 2]), [2.5, 0.125]) };

  it('lists row, label, split and the score where there is one', () => {
    expect(pointFields(run({ labels: true }), 1, score)).toEqual([['row', '#1'], ['label', 'cat'], ['split', 'test'], ['combined score', '2.50']]);
    expect(pointSummary(run({ labels: true }), 2, score)).toBe('#2 · dog · test · combined score 0.125');
  });

  it('leaves out what the run lacks: labels, and scores of training points', () => {
    expect(pointFields(run({}), 0, score)).toEqual([['row', '#0'], ['split', 'train']]);
  });

  it('spreads test scores over the points, NaN elsewhere', () => {
    expect(Number.isNaN(score.values[0])).toBe(true);
    expect(score.values[1]).toBe(2.5);
  });

  it('shows the row id after the row number when the run has ids (a table\'s id column)', () => {
    const withIds = { ...run({ labels: true }), ids: ['a-17', 'b-02', 'c-99'] } as RunData;
    expect(pointFields(withIds, 2).slice(0, 2)).toEqual([['row', '#2'], ['id', 'c-99']]);
    expect(pointSummary(withIds, 2)).toBe('#2 · id c-99 · dog · test');
  });

  it('tells image runs from tables by their recorded shape', () => {
    expect(isImageRun(run({ imageShape: [1, 2, 1] }))).toBe(true);
    expect(isImageRun(run({}))).toBe(false);
  });
});
