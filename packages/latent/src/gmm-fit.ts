import { LatentkitError, createRng, selectRows, type Matrix, type ProgressListener, type Rng } from '@latentkit/core';
import { assertSeed, assertUsableCodes } from './checks.js';
import { bayesianInformationCriterion } from './gmm-bic.js';
import { runEm, type EmResult, type EmSettings } from './gmm-em.js';
import { GaussianMixtureDensity } from './gmm.js';
import type { CovarianceType } from './moments.js';
import { createYielder } from './yield.js';

export interface GaussianMixtureFitOptions {
  /** Number of components; when omitted, k is chosen by the lowest BIC over kRange. */
  readonly k?: number;
  /** Inclusive [min, max] k tried when k is omitted (default [1, 10]; max is capped at the row count). */
  readonly kRange?: readonly [number, number];
  readonly seed?: number;
  /** EM iterations per run (default 100). */
  readonly maxIter?: number;
  /** Convergence threshold on the change of mean per-sample log-likelihood (default 1e-3, as sklearn). */
  readonly tol?: number;
  /** Added to covariance diagonals in every M-step (default 1e-6, as sklearn's reg_covar). */
  readonly regCovar?: number;
  /** EM runs from different seeded starts per k; the best log-likelihood wins (default 1). */
  readonly nInit?: number;
  /**
   * When k is chosen by BIC, compare the candidates on a seeded random subset of this many codes,
   * then refit only the chosen k on all codes (default: compare on all codes). The reported
   * `selection` BICs are then the subset's; `bic` is the final fit's on all codes.
   */
  readonly selectionSampleSize?: number;
  readonly covariance?: CovarianceType;
  readonly signal?: AbortSignal;
  readonly onProgress?: ProgressListener;
}

function checkInteger(name: string, v: number, min: number, max = Infinity): void {
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new LatentkitError('E_OPTION', `Gaussian mixture option ${name} must be an integer in [${min}, ${max}], got ${v}`);
  }
}

function candidateKs(options: GaussianMixtureFitOptions, n: number): number[] {
  if (options.k !== undefined) {
    checkInteger('k', options.k, 1, n);
    return [options.k];
  }
  const [lo, hi] = options.kRange ?? [1, 10];
  checkInteger('kRange[0]', lo, 1);
  checkInteger('kRange[1]', hi, lo);
  const top = Math.min(hi, n);
  if (top < lo) throw new LatentkitError('E_OPTION', `Gaussian mixture kRange [${lo}, ${hi}] needs at least ${lo} codes, got ${n}`);
  return Array.from({ length: top - lo + 1 }, (_, i) => lo + i);
}

interface RunPlan {
  readonly settings: Omit<EmSettings, 'k'>;
  readonly nInit: number;
  readonly totalRuns: number;
  readonly rng: Rng;
  readonly pause: () => Promise<void>;
  readonly options: GaussianMixtureFitOptions;
  runsDone: number;
}

/** The best of nInit EM runs for one k; every run draws from its own fork of the plan's generator. */
async function bestOfRuns(x: Matrix, k: number, plan: RunPlan): Promise<EmResult> {
  let best: EmResult | undefined;
  for (let attempt = 0; attempt < plan.nInit; attempt++) {
    const runIndex = plan.runsDone;
    const { onProgress, signal } = plan.options;
    const result = await runEm(x, { ...plan.settings, k }, plan.rng.fork(), {
      pause: plan.pause,
      ...(signal ? { signal } : {}),
      onIteration: (iteration, meanLogLikelihood) =>
        onProgress?.({
          phase: 'gmm',
          fraction: Math.min(1, (runIndex + iteration / plan.settings.maxIter) / plan.totalRuns),
          message: `k=${k} iteration ${iteration} mean log-likelihood ${meanLogLikelihood.toFixed(4)}`,
        }),
    });
    plan.runsDone++;
    if (!best || result.logLikelihood > best.logLikelihood) best = result;
  }
  return best!;
}

/**
 * Fits a Gaussian mixture to codes by EM: seeded greedy k-means++ start (refined by a few Lloyd
 * steps), log-sum-exp responsibilities, MLE covariances plus regCovar on the diagonal. Without `k`,
 * every k in kRange is fitted and the lowest BIC wins. Cost is O(n·k·d²) per EM iteration; to scan a
 * wide kRange over many codes, set selectionSampleSize so k is chosen on a seeded subset and only the
 * chosen k is refitted on every code.
 */
export async function fitGaussianMixture(codes: Matrix, options: GaussianMixtureFitOptions = {}): Promise<GaussianMixtureDensity> {
  const type = options.covariance ?? 'full';
  if (type !== 'full' && type !== 'diagonal') throw new LatentkitError('E_OPTION', `covariance must be "full" or "diagonal", got "${String(type)}"`);
  assertUsableCodes(codes, 'Gaussian mixture fit codes');
  const maxIter = options.maxIter ?? 100;
  const nInit = options.nInit ?? 1;
  const tol = options.tol ?? 1e-3;
  const regCovar = options.regCovar ?? 1e-6;
  checkInteger('maxIter', maxIter, 1);
  checkInteger('nInit', nInit, 1);
  if (!(tol >= 0)) throw new LatentkitError('E_OPTION', `Gaussian mixture option tol must be ≥ 0, got ${tol}`);
  if (!(regCovar >= 0)) throw new LatentkitError('E_OPTION', `Gaussian mixture option regCovar must be ≥ 0, got ${regCovar}`);
  const seed = options.seed ?? 0;
  assertSeed(seed, 'Gaussian mixture');

  const n = codes.rows;
  const d = codes.cols;
  const ks = candidateKs(options, n);
  const rng = createRng(seed);
  const selectOn = selectionSubset(codes, ks, options, rng);
  const plan: RunPlan = {
    settings: { covariance: type, maxIter, tol, regCovar },
    nInit,
    totalRuns: (ks.length + (selectOn === codes ? 0 : 1)) * nInit,
    rng,
    pause: createYielder(),
    options,
    runsDone: 0,
  };

  let best: { k: number; result: EmResult; bic: number } | undefined;
  const selection: { k: number; bic: number }[] = [];
  for (const k of ks) {
    const result = await bestOfRuns(selectOn, k, plan);
    const bic = bayesianInformationCriterion(result.logLikelihood, k, d, selectOn.rows, type);
    selection.push({ k, bic });
    if (!best || bic < best.bic) best = { k, result, bic };
  }
  if (selectOn !== codes) {
    const result = await bestOfRuns(codes, best!.k, plan);
    best = { k: best!.k, result, bic: bayesianInformationCriterion(result.logLikelihood, best!.k, d, n, type) };
  }
  options.onProgress?.({ phase: 'gmm', fraction: 1, message: `chose k=${best!.k}` });

  const { result, bic } = best!;
  return new GaussianMixtureDensity({
    weights: result.weights,
    means: result.components.map((c) => c.mean),
    covariances: result.components.map((c) => c.covariance),
    covarianceType: type,
    logLikelihood: result.logLikelihood,
    bic,
    converged: result.converged,
    iterations: result.iterations,
    sampleCount: n,
    ...(options.k === undefined ? { selection } : {}),
  });
}

/** The codes k is chosen on: a seeded random subset when selectionSampleSize asks for fewer rows. */
function selectionSubset(codes: Matrix, ks: readonly number[], options: GaussianMixtureFitOptions, rng: Rng): Matrix {
  const size = options.selectionSampleSize;
  if (size === undefined) return codes;
  checkInteger('selectionSampleSize', size, 1);
  if (ks.length === 1 || size >= codes.rows) return codes;
  const largestK = ks[ks.length - 1]!;
  if (size < largestK) throw new LatentkitError('E_OPTION', `Gaussian mixture option selectionSampleSize (${size}) must be at least the largest k tried (${largestK})`);
  const picked = rng.fork().permutation(codes.rows).subarray(0, size).sort();
  return selectRows(codes, picked);
}
