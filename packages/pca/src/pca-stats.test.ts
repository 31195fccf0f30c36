import { isLatentkitError, type Matrix, sliceRows } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { matrixSource } from './__fixtures__/row-source.js';
import { lowRankPlusNoise, referenceCovariance } from './__fixtures__/synthetic.js';
import { computeGramChunk } from './gram-chunk.js';
import type { CovarianceEngine } from './covariance-engine.js';
import { covarianceOfStats, emptyPcaStats, mergePcaStats, type PcaStats } from './pca-stats.js';
import { accumulatePcaStats } from './stats-accumulate.js';

/** Largest |a − b| relative to the largest |b|. */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0, scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / scale;
}

/** Plain float64 n, Σx and XᵀX: an independent reference. */
function referenceStats(x: Matrix): PcaStats {
  const { rows: n, cols: D, data } = x;
  const sum = new Float64Array(D), xtx = new Float64Array(D * D);
  for (let r = 0; r < n; r++) {
    for (let a = 0; a < D; a++) {
      const v = data[r * D + a]!;
      sum[a] = sum[a]! + v;
      for (let b = 0; b < D; b++) xtx[a * D + b] = xtx[a * D + b]! + v * data[r * D + b]!;
    }
  }
  return { n, D, sum, xtx };
}

describe('PCA sufficient statistics', () => {
  const x = lowRankPlusNoise(5000, 23, 4, 0.2, 11);

  it('sums n, Σx and XᵀX over batches as plain float64 sums do', async () => {
    const stats = await accumulatePcaStats(matrixSource(x, 'x', 700));
    const ref = referenceStats(x);
    expect(stats.n).toBe(5000);
    expect(relativeError(stats.sum, ref.sum)).toBeLessThan(1e-12);
    expect(relativeError(stats.xtx, ref.xtx)).toBeLessThan(1e-12);
  });

  it('merges the statistics of two shards into those of the whole, to 1e-9 relative', async () => {
    const a = await accumulatePcaStats(matrixSource(sliceRows(x, 0, 1789), 'shard a', 333));
    const b = await accumulatePcaStats(matrixSource(sliceRows(x, 1789, 5000), 'shard b', 1024));
    const whole = await accumulatePcaStats(matrixSource(x, 'whole', 4096));
    const merged = mergePcaStats(a, b);
    expect(merged.n).toBe(whole.n);
    expect(relativeError(merged.sum, whole.sum)).toBeLessThan(1e-9);
    expect(relativeError(merged.xtx, whole.xtx)).toBeLessThan(1e-9);
    // The empty statistics change nothing.
    expect(relativeError(mergePcaStats(emptyPcaStats(23), merged).xtx, merged.xtx)).toBe(0);
  });

  it('gives the sample covariance of the rows', async () => {
    const cov = covarianceOfStats(await accumulatePcaStats(matrixSource(x)));
    expect(relativeError(cov.covariance, referenceCovariance(x))).toBeLessThan(1e-9);
  });

  it('adds chunk sums in order on an engine that finishes them out of order: the same bits as inline', async () => {
    let running = 0, most = 0;
    const shuffled: CovarianceEngine = {
      name: 'out-of-order',
      concurrency: 3,
      gramChunk: async (task) => {
        most = Math.max(most, ++running);
        await new Promise((r) => setTimeout(r, (task.rows * 7) % 5));
        running--;
        return computeGramChunk(task);
      },
    };
    const inline = await accumulatePcaStats(matrixSource(x, 'x', 9000));
    const parallel = await accumulatePcaStats(matrixSource(x, 'x', 9000), { engine: shuffled });
    expect(most).toBeGreaterThan(1);
    expect(Array.from(parallel.xtx)).toEqual(Array.from(inline.xtx));
  });

  it('refuses statistics of different widths, and non-finite rows naming the source, in one line', async () => {
    expect(() => mergePcaStats(emptyPcaStats(3), emptyPcaStats(4))).toThrow(/3 and 4 features/);
    const bad = { data: Float32Array.from([1, 2, NaN, 4]), rows: 2, cols: 2 };
    const error = await accumulatePcaStats(matrixSource(bad, 'bad.npy')).catch((e: unknown) => e);
    expect(isLatentkitError(error) && error.code).toBe('E_INPUT_VALUE');
    expect((error as Error).message).toMatch(/bad\.npy.*row 1, column 0/);
  });
});
