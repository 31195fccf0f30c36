import { formatBytes, LatentkitError, type MemoryBudget, memoryBudget } from '@latentkit/core';
import { COVARIANCE_CHUNK_ROWS, covarianceEngineBytes } from './covariance.js';
import type { CovarianceEngine } from './covariance-engine.js';
import { limitText, MAX_BYTES_OPTION_SOURCE, type PcaSolverKind } from './memory-plan.js';
import { accumulatorBytes } from './stats-accumulate.js';

/**
 * Memory planning for PCA without the data in memory, worked out from D and k before anything is allocated:
 * - statistics: one pass summing n, Σx and XᵀX (D×D float64), then an exact or randomized eigensolve of the
 *   covariance; the D×D sums must fit.
 * - passes: randomized range finding with one read of the source per multiplication by the covariance,
 *   holding only D×l matrices (l = components + oversamples): for D too large for a D×D matrix.
 */
export type StreamPcaMethod = 'statistics' | 'passes';

export interface StreamPcaPlan {
  readonly method: StreamPcaMethod;
  readonly solver: PcaSolverKind;
  /** Planned peak bytes (the batches a source reads come on top). */
  readonly bytes: number;
  readonly what: string;
  readonly inFlight: number;
}

const F64 = 8;
/** Small per-dimension arrays of the eigensolvers (diagonals, reflector factors, inverse-iteration work). */
const EIGEN_VECTORS_OF_N = 12;
/** The most elements one typed array may hold in every engine latentkit runs on. */
const MAX_TYPED_ELEMENTS = 2 ** 32 - 1;

/** The covariance, the eigensolver's work and the fitted model, given the D×D statistics already held. */
export function statsSolveBytes(D: number, k: number, solver: PcaSolverKind, width: number): number {
  const eigen = solver === 'exact' ? EIGEN_VECTORS_OF_N * D * F64 : 4 * D * width * F64 + 2 * width * width * F64 + EIGEN_VECTORS_OF_N * width * F64;
  return D * D * F64 + eigen + k * D * (F64 + 4 + F64) + D * (F64 + 4);
}

/**
 * Summing the statistics (with `inFlight` chunks on the engine per set of rows) and solving from them. With
 * `heldOut`, the held-out rows' statistics are summed alongside: a second accumulator (kept through the solve)
 * and as many chunks again in flight.
 */
export function statisticsPlan(D: number, k: number, solver: PcaSolverKind, width: number, engine: CovarianceEngine, inFlight: number, heldOut = false): StreamPcaPlan {
  const sets = heldOut ? 2 : 1;
  const bytes = sets * accumulatorBytes(D) + covarianceEngineBytes(engine, COVARIANCE_CHUNK_ROWS, D, sets * inFlight) + statsSolveBytes(D, k, solver, width);
  return { method: 'statistics', solver, bytes, what: `a ${D}×${D} covariance`, inFlight };
}

/** Randomized passes: Ω/Q, the product being summed and its centred copy (D×l each), the small eigenproblem and the model. */
export function passesPlan(D: number, k: number, width: number): StreamPcaPlan {
  const bytes = 4 * D * width * F64 + 3 * D * F64 + 3 * width * width * F64 + EIGEN_VECTORS_OF_N * width * F64 + k * D * (F64 + 4 + F64) + D * (F64 + 4);
  return { method: 'passes', solver: 'randomized', bytes, what: `${D}×${width} range finders`, inFlight: 1 };
}

export interface StreamPlanRequest {
  readonly D: number;
  /** Components (1 for a variance fraction, which needs the statistics and the exact solver). */
  readonly k: number;
  readonly width: number;
  readonly solver: 'auto' | PcaSolverKind;
  /** The solver used when the statistics fit (scikit-learn's choice for 'auto'). */
  readonly preferred: PcaSolverKind;
  readonly fraction: boolean;
  readonly engine: CovarianceEngine;
  readonly budget: MemoryBudget;
  /** Held-out rows whose statistics are summed in the same pass (a streamed fit's test rows). */
  readonly heldOut?: boolean;
}

/**
 * Chooses how to fit from a stream within the budget: from the statistics when the D×D sums fit (with as many
 * chunks in flight as the engine takes and the budget allows), else randomized passes when a count of
 * components was asked for and the solver may be randomized. Otherwise one line naming the need and the way out.
 */
export function planStreamPca(request: StreamPlanRequest): StreamPcaPlan {
  const { D, k, width, solver, preferred, fraction, engine, budget } = request;
  const heldOut = request.heldOut ?? false;
  const tooBig = D * D > MAX_TYPED_ELEMENTS;
  let stats = statisticsPlan(D, k, preferred, width, engine, 1, heldOut);
  for (let m = 2; m <= engine.concurrency; m++) {
    const wider = statisticsPlan(D, k, preferred, width, engine, m, heldOut);
    if (wider.bytes > budget.bytes) break;
    stats = wider;
  }
  if (!tooBig && stats.bytes <= budget.bytes) return stats;
  const passes = passesPlan(D, k, width);
  const passesAllowed = !fraction && solver !== 'exact';
  if (passesAllowed && passes.bytes <= budget.bytes) return passes;
  const { limit, raise } = limitText(budget);
  const over = tooBig ? 'one array can hold' : limit;
  const need = `reducer "pca": fitting from the data in passes needs ${formatBytes(stats.bytes)} for ${stats.what}, more than ${over}`;
  const ways: string[] = [];
  const randomizedFits = !passesAllowed && passes.bytes <= budget.bytes;
  if (randomizedFits) ways.push(fraction ? 'a component count with --opt solver=randomized (randomized passes over the data)' : '--opt solver=randomized (randomized passes over the data)');
  if (!tooBig) ways.push(raise);
  ways.push('fewer columns');
  throw new LatentkitError(randomizedFits ? 'E_OPTION' : 'E_INPUT_VALUE', `${need}; use ${ways.join(', or ')}`);
}

/** The budget a fit plans within: `maxBytes` when given, else LATENTKIT_MAX_DATA_BYTES or half the machine's memory. */
export function streamBudget(maxBytes: unknown): MemoryBudget {
  if (maxBytes === undefined) return memoryBudget();
  if (typeof maxBytes !== 'number' || !Number.isSafeInteger(maxBytes) || maxBytes <= 0) {
    throw new LatentkitError('E_OPTION', `reducer "pca": maxBytes must be a positive whole number of bytes, got ${String(maxBytes)}`);
  }
  return { bytes: maxBytes, source: MAX_BYTES_OPTION_SOURCE };
}
