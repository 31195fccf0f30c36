import { LatentkitError, type OptionSpecs } from '@latentkit/core';

export type PcaSolver = 'auto' | 'exact' | 'randomized';

export interface PcaOptions {
  /** 'auto' (default) picks like scikit-learn: randomized when max(n,D) > 500 and k < 0.8·min(n,D). */
  readonly solver?: PcaSolver;
  /** Divide codes by sqrt(explained variance) so each has unit variance; decode undoes it. */
  readonly whiten?: boolean;
  /** Extra random directions of the randomized solver (default 10). */
  readonly oversamples?: number;
  /** Refinements of the randomized solver: a count, or 'auto' (7 if k < 0.1·min(n,D), else 4). */
  readonly powerIterations?: number | 'auto';
}

export const pcaOptionSpecs: OptionSpecs = {
  solver: { type: 'string', default: 'auto', choices: ['auto', 'exact', 'randomized'], description: "eigen solver: 'exact' (full eigendecomposition), 'randomized' (Halko et al.) or 'auto' (as scikit-learn chooses)" },
  whiten: { type: 'boolean', default: false, description: 'scale codes to unit variance' },
  oversamples: { type: 'number', default: 10, min: 0, integer: true, description: 'randomized solver: extra random directions' },
  powerIterations: { type: 'string', default: 'auto', description: "randomized solver: power iterations, a count or 'auto' (7 if k < 0.1·min(n,D), else 4)" },
};

export interface ResolvedPcaOptions {
  readonly solver: PcaSolver;
  readonly whiten: boolean;
  readonly oversamples: number;
  readonly powerIterations: number | 'auto';
}

/** Validates PCA options; powerIterations accepts a number, a numeric string (command line) or 'auto'. */
export function resolvePcaOptions(given: Readonly<Record<string, unknown>>): ResolvedPcaOptions {
  const known = new Set(['latentDim', ...Object.keys(pcaOptionSpecs)]);
  for (const name of Object.keys(given)) {
    if (!known.has(name) && given[name] !== undefined) {
      throw new LatentkitError('E_OPTION', `reducer "pca" has no option "${name}" (options: ${Object.keys(pcaOptionSpecs).join(', ')})`);
    }
  }
  const solver = given.solver ?? 'auto';
  if (solver !== 'auto' && solver !== 'exact' && solver !== 'randomized') {
    throw new LatentkitError('E_OPTION', `reducer "pca" option solver: must be one of auto, exact, randomized, got "${String(solver)}"`);
  }
  const whiten = given.whiten ?? false;
  if (typeof whiten !== 'boolean') throw new LatentkitError('E_OPTION', `reducer "pca" option whiten: expected true or false, got ${String(whiten)}`);
  const oversamples = given.oversamples ?? 10;
  if (typeof oversamples !== 'number' || !Number.isInteger(oversamples) || oversamples < 0) {
    throw new LatentkitError('E_OPTION', `reducer "pca" option oversamples: expected an integer ≥ 0, got ${String(oversamples)}`);
  }
  return { solver, whiten, oversamples, powerIterations: parsePowerIterations(given.powerIterations) };
}

function parsePowerIterations(v: unknown): number | 'auto' {
  if (v === undefined || v === 'auto') return 'auto';
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new LatentkitError('E_OPTION', `reducer "pca" option powerIterations: expected 'auto' or an integer ≥ 0, got ${String(v)}`);
  }
  return n;
}

/** latentDim must be an integer ≥ 1 or a variance fraction in (0, 1). */
export function checkLatentDim(latentDim: unknown): number {
  const ok = typeof latentDim === 'number' && Number.isFinite(latentDim) && ((Number.isInteger(latentDim) && latentDim >= 1) || (latentDim > 0 && latentDim < 1));
  if (!ok) throw new LatentkitError('E_OPTION', `reducer "pca" latentDim must be an integer ≥ 1 or a variance fraction in (0, 1), got ${String(latentDim)}`);
  return latentDim;
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
