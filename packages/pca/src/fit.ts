import { type FitOptions, LatentkitError, type Matrix, type MemoryBudget, throwIfAborted } from '@latentkit/core';
import { getCovarianceEngine } from './covariance-engine.js';
import { checkChosenCount, methodPlan, type PcaMethod, type PcaPlan, planPca, type PlanRequest } from './memory-plan.js';
import { checkComponentCount, chooseSolver, componentsForFraction, type PcaOptions, resolvePowerIterations } from './options.js';
import { completeScan, type DataScan } from './quantized.js';
import { flipSignsByComponents, flipSignsByScores } from './sign-flip.js';
import { solveByCovariance } from './solve-covariance.js';
import { solveDirect } from './solve-direct.js';
import { solveByGram } from './solve-gram.js';
import type { ComponentCount, PcaSpectrum, SolveControl } from './spectrum.js';

export interface PcaSolution {
  readonly solver: 'exact' | 'randomized';
  /** How it was solved: from the D×D covariance, the n×n Gram matrix, or the data directly. */
  readonly method: PcaMethod;
  /** The memory the plan allowed for, in bytes (beyond the data). */
  readonly plannedBytes: number;
  readonly k: number;
  readonly mean: Float64Array;
  /** k×D, orthonormal rows, sign-normalised. */
  readonly components: Float64Array;
  readonly explainedVariance: Float64Array;
  readonly totalVariance: number;
  /** Mean variance of the discarded directions (probabilistic PCA's σ²), 0 when none are discarded. */
  readonly noiseVariance: number;
}

/**
 * Solves PCA on the rows of x within a memory budget: plans every large allocation first (refusing in one
 * line when nothing fits), then solves by the planned method. `method` forces one (tests compare them);
 * `scan` passes on what the caller's scan of the data found (see scanData).
 */
export async function solvePca(
  x: Matrix,
  latentDim: number,
  options: PcaOptions,
  budget: MemoryBudget,
  fit: FitOptions = {},
  method?: PcaMethod,
  scan?: DataScan,
): Promise<PcaSolution> {
  const { rows: n, cols: D } = x;
  const maxK = Math.min(n, D);
  const fraction = latentDim < 1 ? latentDim : undefined;
  if (fraction === undefined) checkComponentCount(latentDim, n, D);
  else if (D < 2) throw new LatentkitError('E_OPTION', `reducer "pca": input dimension ${D} cannot be reduced`);
  // A variance fraction may pick at most D − 1 components, like a count: a reducer must reduce.
  const fractionLimit = Math.min(maxK, D - 1);
  const preferred = chooseSolver(options.solver, fraction === undefined ? latentDim : undefined, n, D);
  if (fraction !== undefined && options.solver === 'randomized') {
    throw new LatentkitError('E_OPTION', `reducer "pca": latentDim ${latentDim} is a variance fraction, which needs the exact solver (solver is "randomized")`);
  }
  const request: PlanRequest = {
    n,
    D,
    k: fraction === undefined ? latentDim : 1,
    oversamples: options.oversamples,
    engine: getCovarianceEngine(),
    solver: options.solver,
    preferred,
    fraction: fraction !== undefined,
    budget,
  };
  const plan = method === undefined ? planPca(request) : forcedPlan(request, method);
  const control: SolveControl = { signal: fit.signal, report: (phase, f, message) => fit.onProgress?.({ phase, fraction: f, ...(message ? { message } : {}) }) };
  const count: ComponentCount =
    fraction === undefined
      ? latentDim
      : (variances, total) => {
          const k = componentsForFraction(clampNonNegative(variances.slice()), total, fraction, fractionLimit);
          checkChosenCount(request, plan, k, latentDim);
          return k;
        };
  throwIfAborted(fit.signal, 'PCA fit');
  // Only the covariance pass checks a partly scanned dataset itself; every other method needs it scanned whole.
  const checked = scan && plan.method !== 'covariance' ? completeScan(x, scan) : scan;
  const spectrum = await solveByPlan(x, plan, count, options, fit, control, checked);
  const { k, components } = spectrum;
  const explainedVariance = clampNonNegative(spectrum.variances.slice(0, k));
  if (plan.solver === 'randomized' && n < D) flipSignsByComponents(components, k, D);
  // The covariance plan's memory covers its engine's chunks in flight, so the scores may use them too.
  else if (plan.method === 'covariance') await flipSignsByScores(x, spectrum.mean, components, k, getCovarianceEngine(), plan.inFlight);
  else await flipSignsByScores(x, spectrum.mean, components, k);
  let kept = 0;
  for (let c = 0; c < k; c++) kept += explainedVariance[c]!;
  const { totalVariance } = spectrum;
  const noiseVariance = k < maxK ? Math.max(0, totalVariance - kept) / (maxK - k) : 0;
  fit.onProgress?.({ phase: 'eigensolve', fraction: 1, message: plan.solver });
  return { solver: plan.solver, method: plan.method, plannedBytes: plan.bytes, k, mean: spectrum.mean, components, explainedVariance, totalVariance, noiseVariance };
}

function solveByPlan(x: Matrix, plan: PcaPlan, count: ComponentCount, options: PcaOptions, fit: FitOptions, control: SolveControl, scan: DataScan | undefined): Promise<PcaSpectrum> {
  const randomized = () => {
    const k = count as number;
    return { width: plan.width, powerIterations: resolvePowerIterations(options.powerIterations, k, x.rows, x.cols), seed: fit.seed ?? 0 };
  };
  if (plan.method === 'gram') return solveByGram(x, count, control);
  if (plan.method === 'direct') return solveDirect(x, count as number, randomized(), control);
  return solveByCovariance(x, count, { engine: getCovarianceEngine(), inFlight: plan.inFlight, randomized: plan.solver === 'randomized' ? randomized() : undefined, scan }, control);
}

/** The given method's plan regardless of the budget (tests compare methods on the same data). */
function forcedPlan(request: PlanRequest, method: PcaMethod): PcaPlan {
  const solver = method === 'gram' ? 'exact' : method === 'direct' ? 'randomized' : request.solver === 'auto' ? request.preferred : request.solver;
  return methodPlan(request, method, solver, Number.MAX_SAFE_INTEGER);
}

/** Rounding can leave tiny negative eigenvalues of a PSD matrix; variances are never negative. */
function clampNonNegative(v: Float64Array): Float64Array {
  for (let i = 0; i < v.length; i++) if (v[i]! < 0) v[i] = 0;
  return v;
}
