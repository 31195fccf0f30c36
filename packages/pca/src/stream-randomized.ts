import { assertFinite, createRng, LatentkitError, type RowBatchSource, throwIfAborted } from '@latentkit/core';
import { orthonormalizeColumns } from './orthonormalize.js';
import { type PcaSpectrum, type RandomizedSettings, type SolveControl, yieldTurn } from './spectrum.js';
import { STATS_BATCH_ROWS } from './stats-accumulate.js';
import { symmetricEigen } from './symmetric-eigen.js';

/** What one pass sums: n, and for the first pass Σx and Σx² too, plus Σ x·(xᵀQ) (D×l). */
interface PassSums {
  n: number;
  readonly sum: Float64Array;
  readonly squares: Float64Array;
  readonly product: Float64Array;
}

/**
 * Randomized PCA in passes over a source (Halko, Martinsson & Tropp 2011, subspace iteration on the
 * covariance C): Q = orth(C·Ω) for a seeded Gaussian Ω (D×l, drawn in randomizedEigen's order), then
 * `powerIterations` refinements Q = orth(C·Q), then Rayleigh–Ritz on Qᵀ·C·Q. C is never formed: each
 * product C·Q is one read of the source, Σ x·(xᵀQ) centred afterwards with Σx. So the result is the
 * covariance-based randomized solver's, and memory is O(D·l) whatever n is. powerIterations + 2 reads.
 */
export async function randomizedPasses(source: RowBatchSource, k: number, settings: RandomizedSettings, control: SolveControl = {}): Promise<PcaSpectrum & { n: number }> {
  const D = source.cols;
  const l = settings.width;
  const rng = createRng(settings.seed);
  let q: Float64Array = new Float64Array(D * l);
  for (let i = 0; i < q.length; i++) q[i] = rng.normal();
  const passes = settings.powerIterations + 2;
  const first = await pass(source, q, l, true, control, 0, passes);
  const { n, sum } = first;
  if (n < 2) throw new LatentkitError('E_EMPTY', `${source.name} needs at least 2 rows for PCA, got ${n}`);
  if (k > n) throw new LatentkitError('E_OPTION', `reducer "pca": latentDim ${k} exceeds the number of samples ${n} (at most min(samples, features) components)`);
  const mean = Float64Array.from(sum, (s) => s / n);
  let totalVariance = 0;
  for (let j = 0; j < D; j++) totalVariance += Math.max(0, (first.squares[j]! - sum[j]! * mean[j]!) / (n - 1));
  q = centredProduct(first, q, l, mean);
  orthonormalizeColumns(q, D, l);
  for (let it = 0; it < settings.powerIterations; it++) {
    q = centredProduct(await pass(source, q, l, false, control, it + 1, passes), q, l, mean, n);
    orthonormalizeColumns(q, D, l);
  }
  const cq = centredProduct(await pass(source, q, l, false, control, passes - 1, passes), q, l, mean, n);
  // Rayleigh–Ritz: T = Qᵀ (C Q), symmetrised against rounding.
  const t = new Float64Array(l * l);
  for (let i = 0; i < D; i++) for (let a = 0; a < l; a++) for (let b = 0; b < l; b++) t[a * l + b] = t[a * l + b]! + q[i * l + a]! * cq[i * l + b]!;
  for (let a = 0; a < l; a++) {
    for (let b = a + 1; b < l; b++) {
      const v = (t[a * l + b]! + t[b * l + a]!) / 2;
      t[a * l + b] = v;
      t[b * l + a] = v;
    }
  }
  const small = symmetricEigen(t, l, k);
  const components = new Float64Array(k * D);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < D; i++) {
      let s = 0;
      for (let a = 0; a < l; a++) s += q[i * l + a]! * small.vectors[c * l + a]!;
      components[c * D + i] = s;
    }
  }
  return { n, k, mean, variances: small.values.slice(0, k), components, totalVariance };
}

/** One read of the source: Σ x·(xᵀQ) for Q (D×l, row-major), and on the first pass n, Σx and Σx². */
async function pass(source: RowBatchSource, q: Float64Array, l: number, first: boolean, control: SolveControl, index: number, passes: number): Promise<PassSums> {
  const D = source.cols;
  const sums: PassSums = { n: 0, sum: new Float64Array(first ? D : 0), squares: new Float64Array(first ? D : 0), product: new Float64Array(D * l) };
  const y = new Float64Array(l);
  const z = sums.product;
  control.report?.('range-finder', index / passes, `pass ${index + 1} of ${passes}`);
  for await (const batch of source.batches({ batchRows: STATS_BATCH_ROWS, ...(control.signal ? { signal: control.signal } : {}) })) {
    throwIfAborted(control.signal, 'PCA fit');
    const { data, rows, cols } = batch.x;
    if (cols !== D) throw new LatentkitError('E_SHAPE', `${source.name}: a batch has ${cols} columns, the source declares ${D}`);
    if (first) assertFinite(batch.x, `${source.name} (rows from ${batch.offset})`);
    for (let r = 0; r < rows; r++) {
      const o = r * D;
      y.fill(0);
      for (let j = 0; j < D; j++) {
        const v = data[o + j]!;
        if (v === 0) continue;
        const qj = j * l;
        for (let a = 0; a < l; a++) y[a] = y[a]! + v * q[qj + a]!;
      }
      for (let j = 0; j < D; j++) {
        const v = data[o + j]!;
        if (v === 0) continue;
        const zj = j * l;
        for (let a = 0; a < l; a++) z[zj + a] = z[zj + a]! + v * y[a]!;
        if (first) {
          sums.sum[j] = sums.sum[j]! + v;
          sums.squares[j] = sums.squares[j]! + v * v;
        }
      }
    }
    sums.n += rows;
    await yieldTurn();
  }
  return sums;
}

/** C·Q from a pass's sums, a new D×l array; `n` is the first pass's count, which every later pass must match. */
function centredProduct(p: PassSums, q: Float64Array, l: number, mean: Float64Array, n = p.n): Float64Array {
  if (p.n !== n) throw new LatentkitError('E_INPUT_FORMAT', `the source gave ${p.n} rows on a later pass, ${n} on the first: it changed while PCA read it`);
  const D = mean.length;
  const mq = new Float64Array(l);
  for (let j = 0; j < D; j++) for (let a = 0; a < l; a++) mq[a] = mq[a]! + mean[j]! * q[j * l + a]!;
  const out = new Float64Array(D * l);
  const norm = 1 / (n - 1);
  // Σ (x−μ)(x−μ)ᵀQ = Σ x·xᵀQ − n·μ·(μᵀQ).
  for (let j = 0; j < D; j++) for (let a = 0; a < l; a++) out[j * l + a] = (p.product[j * l + a]! - n * mean[j]! * mq[a]!) * norm;
  return out;
}
