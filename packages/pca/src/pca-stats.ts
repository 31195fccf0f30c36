import { LatentkitError } from '@latentkit/core';

/**
 * PCA's sufficient statistics of a set of rows: n, Σx and XᵀX, all float64. They add: the statistics of
 * two shards merged are the statistics of their union, so any engine that can sum per partition (a Spark or
 * DuckDB job, another latentkit process) can feed one PCA fit. Raw (uncentred) sums are what such engines
 * emit; centring happens once, at the end (covarianceOfStats).
 */
export interface PcaStats {
  /** Rows summed. */
  readonly n: number;
  /** Features per row, D. */
  readonly D: number;
  /** Σx: D column sums. */
  readonly sum: Float64Array;
  /** XᵀX: D×D row-major, both triangles. */
  readonly xtx: Float64Array;
}

/** Checks a statistics object's shape and values; `name` says where it came from in the one-line error. */
export function checkPcaStats(stats: PcaStats, name: string): PcaStats {
  const { n, D, sum, xtx } = stats;
  const bad = (why: string) => new LatentkitError('E_INPUT_FORMAT', `${name}: PCA statistics ${why}`);
  if (!Number.isSafeInteger(n) || n < 0) throw bad(`have an invalid row count ${String(n)}`);
  if (!Number.isSafeInteger(D) || D < 1) throw bad(`have an invalid feature count ${String(D)}`);
  if (sum.length !== D) throw bad(`hold ${sum.length} column sums for ${D} features`);
  if (xtx.length !== D * D) throw bad(`hold ${xtx.length} XᵀX entries for ${D} features (expected ${D * D})`);
  for (const v of sum) if (!Number.isFinite(v)) throw bad('hold a non-finite column sum');
  for (const v of xtx) if (!Number.isFinite(v)) throw bad('hold a non-finite XᵀX entry');
  return stats;
}

/** Statistics of no rows (the identity of mergePcaStats). */
export function emptyPcaStats(D: number): PcaStats {
  return { n: 0, D, sum: new Float64Array(D), xtx: new Float64Array(D * D) };
}

/** The statistics of the union of two disjoint row sets: every sum added, exactly as one pass over both would. */
export function mergePcaStats(a: PcaStats, b: PcaStats): PcaStats {
  if (a.D !== b.D) throw new LatentkitError('E_SHAPE', `cannot merge PCA statistics of ${a.D} and ${b.D} features`);
  const sum = new Float64Array(a.D);
  const xtx = new Float64Array(a.D * a.D);
  for (let j = 0; j < a.D; j++) sum[j] = a.sum[j]! + b.sum[j]!;
  for (let i = 0; i < xtx.length; i++) xtx[i] = a.xtx[i]! + b.xtx[i]!;
  return { n: a.n + b.n, D: a.D, sum, xtx };
}

/** Column means, total variance and the sample covariance (n−1) of the rows the statistics summarise. */
export interface StatsCovariance {
  readonly mean: Float64Array;
  /** D×D, both triangles (a new array: the statistics are left as they are). */
  readonly covariance: Float64Array;
  readonly totalVariance: number;
}

/** The covariance (XᵀX − Σx·Σxᵀ/n)/(n−1), written into a new D×D array. */
export function covarianceOfStats(stats: PcaStats): StatsCovariance {
  const { n, D, sum, xtx } = stats;
  if (n < 2) throw new LatentkitError('E_EMPTY', `PCA needs at least 2 rows, the statistics hold ${n}`);
  const mean = Float64Array.from(sum, (s) => s / n);
  const covariance = new Float64Array(D * D);
  const norm = 1 / (n - 1);
  for (let a = 0; a < D; a++) {
    for (let b = a; b < D; b++) {
      // Both triangles of XᵀX are averaged so a slightly asymmetric input (another engine's sums) stays symmetric.
      const raw = b === a ? xtx[a * D + a]! : (xtx[a * D + b]! + xtx[b * D + a]!) / 2;
      const v = (raw - sum[a]! * mean[b]!) * norm;
      covariance[a * D + b] = v;
      covariance[b * D + a] = v;
    }
  }
  let totalVariance = 0;
  for (let j = 0; j < D; j++) totalVariance += Math.max(0, covariance[j * D + j]!);
  return { mean, covariance, totalVariance };
}
