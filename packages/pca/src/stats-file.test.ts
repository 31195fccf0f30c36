import { isLatentkitError } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { matrixSource } from './__fixtures__/row-source.js';
import { lowRankPlusNoise } from './__fixtures__/synthetic.js';
import { decodePcaStats, encodePcaStats } from './stats-file.js';
import { accumulatePcaStats } from './stats-accumulate.js';

/** A statistics file as another engine might write it: its own key order, no padding, via the documented layout only. */
function foreignFile(n: number, sum: number[], xtx: number[], meta: Record<string, string> = { format: 'latentkit-pca-stats', version: '1', n: String(n) }): Uint8Array {
  const D = sum.length;
  const header = JSON.stringify({ xtx: { dtype: 'F64', shape: [D, D], data_offsets: [8 * D, 8 * D + 8 * D * D] }, __metadata__: meta, sum: { dtype: 'F64', shape: [D], data_offsets: [0, 8 * D] } });
  const head = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + head.length + 8 * (D + D * D));
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  [...sum, ...xtx].forEach((v, i) => view.setFloat64(8 + head.length + 8 * i, v, true));
  return out;
}

describe('PCA statistics files (safetensors layout)', () => {
  it('round-trips every bit, with the data 8-byte aligned', async () => {
    const stats = await accumulatePcaStats(matrixSource(lowRankPlusNoise(300, 7, 2, 0.1, 4)));
    const bytes = encodePcaStats(stats);
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLength) % 8).toBe(0);
    const back = decodePcaStats(bytes, 'a.safetensors');
    expect(back.n).toBe(300);
    expect(Array.from(back.sum)).toEqual(Array.from(stats.sum));
    expect(Array.from(back.xtx)).toEqual(Array.from(stats.xtx));
  });

  it('reads a file written from the documented layout by another writer', () => {
    const back = decodePcaStats(foreignFile(5, [1, 2], [3, 4, 4, 9]), 'spark-part-0.safetensors');
    expect(back).toMatchObject({ n: 5, D: 2 });
    expect(Array.from(back.sum)).toEqual([1, 2]);
    expect(Array.from(back.xtx)).toEqual([3, 4, 4, 9]);
  });

  const cases: [string, Uint8Array, RegExp][] = [
    ['too short', new Uint8Array(3), /shorter than the 8-byte header length/],
    ['a header longer than the file', Uint8Array.from([200, 0, 0, 0, 0, 0, 0, 0, 123]), /header length 200 exceeds the file/],
    ['another safetensors file', foreignFile(5, [1], [1], { format: 'pt' }), /__metadata__\.format is "pt"/],
    ['a bad row count', foreignFile(5, [1], [1], { format: 'latentkit-pca-stats', version: '1', n: '-1' }), /__metadata__\.n is "-1"/],
    ['another version', foreignFile(5, [1], [1], { format: 'latentkit-pca-stats', version: '9', n: '5' }), /version "9"/],
    ['truncated data', foreignFile(5, [1, 2], [3, 4, 4, 9]).subarray(0, -8), /"xtx" data_offsets \[16, 48\] do not hold 4 float64 values within the file/],
    ['a non-finite sum', foreignFile(5, [1, NaN], [3, 4, 4, 9]), /non-finite column sum/],
  ];
  for (const [what, bytes, pattern] of cases) {
    it(`refuses ${what} in one line naming the file`, () => {
      let error: unknown;
      try {
        decodePcaStats(bytes, 'part.safetensors');
      } catch (e) {
        error = e;
      }
      expect(isLatentkitError(error) && error.code).toBe('E_INPUT_FORMAT');
      expect((error as Error).message).toMatch(/^part\.safetensors: /);
      expect((error as Error).message).toMatch(pattern);
      expect((error as Error).message).not.toContain('\n');
    });
  }
});
