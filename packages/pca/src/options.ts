import { LatentkitError } from '@latentkit/core';
import { z } from 'zod';

/**
 * PCA's options, declared once: the TypeScript types, defaults, bounds, --help text and the CLI's
 * string coercion (through the schema's JSON Schema) all come from here.
 */
export const pcaOptions = z.strictObject({
  solver: z
    .enum(['auto', 'exact', 'randomized'])
    .default('auto')
    .describe("eigen solver: 'exact' (full eigendecomposition), 'randomized' (Halko et al.) or 'auto' (as scikit-learn chooses)"),
  whiten: z.boolean().default(false).describe('scale codes to unit variance (decode undoes it)'),
  oversamples: z.number().int().min(0).default(10).describe('randomized solver: extra random directions'),
  powerIterations: z
    .union([z.literal('auto'), z.number().int().min(0)])
    .default('auto')
    .describe("randomized solver: power iterations, a count or 'auto' (7 if k < 0.1·min(n,D), else 4)"),
});

/** Options with defaults filled, as a fitted model and its bundle hold them. */
export type PcaOptions = z.output<typeof pcaOptions>;
/** Options as a caller passes them: every field optional. */
export type PcaOptionsInput = z.input<typeof pcaOptions>;
export type PcaSolver = PcaOptions['solver'];

/** What fitPca is asked for: d (a count, or a variance fraction in (0, 1)) plus any PCA option. */
export type PcaSettings = { readonly latentDim: number } & PcaOptionsInput;

/** latentDim must be an integer ≥ 1 or a variance fraction in (0, 1). */
export function checkLatentDim(latentDim: unknown): number {
  const ok = typeof latentDim === 'number' && Number.isFinite(latentDim) && ((Number.isInteger(latentDim) && latentDim >= 1) || (latentDim > 0 && latentDim < 1));
  if (!ok) throw new LatentkitError('E_OPTION', `reducer "pca": latentDim must be an integer ≥ 1 or a variance fraction in (0, 1), got ${String(latentDim)}`);
  return latentDim;
}

/**
 * A component count must reduce: k < D (k = D is only a rotation of the data), and there are at most
 * min(n, D) principal directions.
 */
export function checkComponentCount(k: number, n: number, D: number): void {
  if (k >= D) throw new LatentkitError('E_OPTION', `reducer "pca": latentDim ${k} must be smaller than the input dimension ${D}`);
  if (k > n) throw new LatentkitError('E_OPTION', `reducer "pca": latentDim ${k} exceeds the number of samples ${n} (at most min(samples, features) components)`);
}

/** scikit-learn 1.2's choice between its full and randomized solvers. */
export function chooseSolver(solver: PcaSolver, k: number | undefined, n: number, D: number): 'exact' | 'randomized' {
  if (solver !== 'auto') return solver;
  if (k === undefined || Math.max(n, D) <= 500) return 'exact';
  return k < 0.8 * Math.min(n, D) ? 'randomized' : 'exact';
}

/** scikit-learn's default: 7 power iterations for small k (it helps with slowly decaying spectra), else 4. */
export function resolvePowerIterations(p: number | 'auto', k: number, n: number, D: number): number {
  if (p !== 'auto') return p;
  return k < 0.1 * Math.min(n, D) ? 7 : 4;
}

/**
 * The number of components that keeps a variance fraction: like scikit-learn 1.2
 * (searchsorted(cumsum, fraction, side='right') + 1), the smallest k whose cumulative explained-variance
 * ratio exceeds the fraction (an exact tie takes one more), capped at `limit`.
 */
export function componentsForFraction(values: ArrayLike<number>, total: number, fraction: number, limit = values.length): number {
  let cumulative = 0;
  for (let i = 0; i < Math.min(values.length, limit); i++) {
    cumulative += values[i]! / total;
    if (cumulative > fraction) return i + 1;
  }
  return Math.min(values.length, limit);
}
