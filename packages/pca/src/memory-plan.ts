import { formatBytes, LatentkitError, MAX_DATA_BYTES_ENV, type MemoryBudget } from '@latentkit/core';
import { gramBlockRows } from './centred-rows.js';
import { COVARIANCE_CHUNK_ROWS, covarianceEngineBytes, covarianceSumsBytes } from './covariance.js';
import type { CovarianceEngine } from './covariance-engine.js';
import { gramChunkKernelBytes } from './gram-chunk.js';
import { signFlipKernelBytes } from './sign-scores.js';
import { MAX_KERNEL_BYTES } from './wasm/gram-kernel.js';

/**
 * Memory planning for a PCA fit: what each way of solving needs, worked out from n, D and k before anything
 * is allocated, and the choice of one that fits the budget.
 *
 * - covariance: the D×D covariance (one pass over the data), then an exact or randomized eigensolve on it;
 * - gram: exact PCA from the n×n Gram matrix Xc·Xcᵀ (dual PCA), for fewer samples than features;
 * - direct: randomized range finding on the centred data itself: neither D×D nor n×n is ever formed.
 */
export type PcaMethod = 'covariance' | 'gram' | 'direct';
export type PcaSolverKind = 'exact' | 'randomized';

export interface PcaPlan {
  readonly solver: PcaSolverKind;
  readonly method: PcaMethod;
  /** Planned peak bytes beyond the data itself. */
  readonly bytes: number;
  /** The plan's largest piece, for messages ("a 20000×20000 covariance"). */
  readonly what: string;
  /** Covariance chunks kept in flight (covariance method; 1 otherwise). */
  readonly inFlight: number;
  /** Randomized solvers: the random subspace's width (count + oversamples, capped by n and D). */
  readonly width: number;
  /** Set when no budget could hold it: what it exceeds ("one array can hold", "WebAssembly memory can hold (4 GiB)"). */
  readonly impossible?: string;
}

export interface PlanInput {
  readonly n: number;
  readonly D: number;
  /** Components to find (for a variance fraction, the fewest it can keep: 1; checked again once known). */
  readonly k: number;
  readonly oversamples: number;
  readonly engine: CovarianceEngine;
}

const F64 = 8;
/** The most elements one typed array may hold in every engine latentkit runs on. */
const MAX_TYPED_ELEMENTS = 2 ** 32 - 1;
/** Small per-dimension arrays of the eigensolvers (diagonals, reflector factors, inverse-iteration work). */
const EIGEN_VECTORS_OF_N = 12;

/**
 * The fitted model and its making: float64 components, the model's float32 copy and float64 transpose, and
 * the sign rule's scoring kernel (the randomized solver with fewer samples than features signs by the components).
 */
function resultBytes(k: number, n: number, D: number, solver: PcaSolverKind): number {
  const scoring = solver === 'randomized' && n < D ? 0 : signFlipKernelBytes(k, n, D);
  return k * D * (F64 + 4 + F64) + D * (F64 + 4) + scoring;
}

/** The random subspace's width for a randomized solve of k components. */
export function randomizedWidth(input: PlanInput, method: PcaMethod): number {
  const { n, D, k, oversamples } = input;
  return method === 'direct' ? Math.min(k + oversamples, n, D) : Math.min(k + oversamples, D);
}

/** What the covariance method needs with `inFlight` chunks outstanding. */
function covariancePlan(input: PlanInput, solver: PcaSolverKind, inFlight: number): PcaPlan {
  const { n, D, k, engine } = input;
  const l = solver === 'randomized' ? randomizedWidth(input, 'covariance') : 0;
  const eigen = solver === 'exact' ? EIGEN_VECTORS_OF_N * D * F64 + k * D * F64 : 4 * D * l * F64 + 2 * l * l * F64 + k * D * F64 + EIGEN_VECTORS_OF_N * l * F64;
  const bytes = covarianceSumsBytes(D) + covarianceEngineBytes(engine, Math.min(n, COVARIANCE_CHUNK_ROWS), D, inFlight) + eigen + resultBytes(k, n, D, solver);
  const dp = Math.ceil(D / 4) * 4;
  const impossible =
    dp * dp > MAX_TYPED_ELEMENTS ? 'one array can hold' : gramChunkKernelBytes(D) > MAX_KERNEL_BYTES ? 'WebAssembly memory can hold (4 GiB)' : undefined;
  return { solver, method: 'covariance', bytes, what: `a ${D}×${D} covariance`, inFlight, width: l, ...(impossible ? { impossible } : {}) };
}

/** The covariance method with as many chunks in flight as the engine takes and the budget allows (at least 1). */
function bestCovariancePlan(input: PlanInput, solver: PcaSolverKind, budget: number): PcaPlan {
  const chunks = Math.ceil(input.n / COVARIANCE_CHUNK_ROWS);
  let plan = covariancePlan(input, solver, 1);
  for (let m = 2; m <= Math.min(input.engine.concurrency, chunks); m++) {
    const wider = covariancePlan(input, solver, m);
    if (wider.bytes > budget) break;
    plan = wider;
  }
  return plan;
}

function gramPlan(input: PlanInput): PcaPlan {
  const { n, D, k } = input;
  const bytes = n * n * F64 + EIGEN_VECTORS_OF_N * n * F64 + k * n * F64 + gramBlockRows(n, D) * D * F64 + 3 * D * F64 + k * D * F64 + resultBytes(k, n, D, 'exact');
  const impossible = n * n > MAX_TYPED_ELEMENTS ? 'one array can hold' : undefined;
  return { solver: 'exact', method: 'gram', bytes, what: `a ${n}×${n} Gram matrix`, inFlight: 1, width: 0, ...(impossible ? { impossible } : {}) };
}

function directPlan(input: PlanInput): PcaPlan {
  const { n, D, k } = input;
  const l = randomizedWidth(input, 'direct');
  const bytes = D * l * F64 + 2 * n * l * F64 + 3 * l * l * F64 + EIGEN_VECTORS_OF_N * l * F64 + 3 * D * F64 + k * D * F64 + resultBytes(k, n, D, 'randomized');
  const impossible = D * l > MAX_TYPED_ELEMENTS ? 'one array can hold' : undefined;
  return { solver: 'randomized', method: 'direct', bytes, what: `a ${D}×${l} random range finder`, inFlight: 1, width: l, ...(impossible ? { impossible } : {}) };
}

/** The plan of one method, whatever the budget allows (the covariance pass keeps what in flight it can). */
export function methodPlan(input: PlanInput, method: PcaMethod, solver: PcaSolverKind, budget: number): PcaPlan {
  if (method === 'gram') return gramPlan(input);
  if (method === 'direct') return directPlan(input);
  return bestCovariancePlan(input, solver, budget);
}

/** The exact solver's plan: the smaller of the D×D covariance and the n×n Gram matrix. */
export function exactPlan(input: PlanInput, budget: number): PcaPlan {
  return input.n < input.D ? gramPlan(input) : bestCovariancePlan(input, 'exact', budget);
}

/** The randomized solver's plans, preferred first: the covariance pass when there are more samples than features, else the data directly. */
export function randomizedPlans(input: PlanInput, budget: number): PcaPlan[] {
  return input.n < input.D ? [directPlan(input)] : [bestCovariancePlan(input, 'randomized', budget), directPlan(input)];
}

export function fits(plan: PcaPlan, budget: MemoryBudget): boolean {
  return plan.impossible === undefined && plan.bytes <= budget.bytes;
}

/** The memory limit as messages quote it, and the advice for raising it. */
export function limitText(budget: MemoryBudget): { limit: string; raise: string } {
  const byOption = budget.source === MAX_BYTES_OPTION_SOURCE;
  const how = budget.source === MAX_DATA_BYTES_ENV ? `set by ${MAX_DATA_BYTES_ENV}` : byOption ? 'given as maxBytes' : budget.source;
  return { limit: `the memory limit of ${formatBytes(budget.bytes)}, ${how}`, raise: byOption ? 'raise maxBytes' : `raise ${MAX_DATA_BYTES_ENV}` };
}

/** The budget's source when a fit's `maxBytes` gave it. */
export const MAX_BYTES_OPTION_SOURCE = 'maxBytes';

export interface PlanRequest extends PlanInput {
  /** The solver asked for. */
  readonly solver: 'auto' | PcaSolverKind;
  /** scikit-learn's choice for this shape (what 'auto' starts from). */
  readonly preferred: PcaSolverKind;
  /** Whether k was given as a variance fraction (only the exact solver finds the whole spectrum). */
  readonly fraction: boolean;
  readonly budget: MemoryBudget;
}

/**
 * Chooses how to solve within the budget: the solver asked for (or, for 'auto', scikit-learn's choice) by
 * its cheapest method that fits; 'auto' falls back to the other solver. When nothing fits, throws one line
 * naming the need, the limit and the ways out, before anything is allocated.
 */
export function planPca(request: PlanRequest): PcaPlan {
  const { solver, preferred, fraction, budget } = request;
  const exact = () => [exactPlan(request, budget.bytes)];
  const randomized = () => randomizedPlans(request, budget.bytes);
  let candidates: PcaPlan[];
  if (fraction) candidates = exact();
  else if (solver === 'exact') candidates = exact();
  else if (solver === 'randomized') candidates = randomized();
  else candidates = preferred === 'exact' ? [...exact(), ...randomized()] : [...randomized(), ...exact()];
  const chosen = candidates.find((plan) => fits(plan, budget));
  if (chosen) return chosen;
  // Quote the least that would do: raising the limit that far (or asking for less) is the way out.
  const possible = candidates.filter((plan) => !plan.impossible);
  throw refusal(request, (possible.length > 0 ? possible : candidates).reduce((a, b) => (b.bytes < a.bytes ? b : a)));
}

function refusal(request: PlanRequest, plan: PcaPlan): LatentkitError {
  const { solver, fraction, budget, k } = request;
  const { limit, raise } = limitText(budget);
  const over = plan.impossible ?? limit;
  const need = `reducer "pca": the ${plan.solver} solver needs ${formatBytes(plan.bytes)} for ${plan.what}, more than ${over}`;
  // A forced exact solver (or a variance fraction, which needs it) may fit as randomized with a count.
  const randomizedFits = solver !== 'randomized' && randomizedPlans({ ...request, k: fraction ? 1 : k }, budget.bytes).some((p) => fits(p, budget));
  const ways: string[] = [];
  if (randomizedFits) ways.push(fraction ? 'a component count with --opt solver=randomized' : '--opt solver=randomized');
  if (plan.method === 'gram') ways.push('fewer rows');
  else ways.push('fewer columns');
  if (plan.method === 'direct') ways.push('fewer components');
  if (!plan.impossible) ways.push(raise);
  const list = ways.length > 2 ? `${ways.slice(0, -1).join(', ')}, or ${ways.at(-1)}` : ways.join(' or ');
  return new LatentkitError(randomizedFits ? 'E_OPTION' : 'E_INPUT_VALUE', `${need}; use ${list}`);
}

/**
 * Once a variance fraction has chosen k from the eigenvalues, the k eigenvectors must fit too: throws before
 * they are allocated when they do not.
 */
export function checkChosenCount(request: PlanRequest, plan: PcaPlan, k: number, latentDim: number): void {
  const planned = plan.method === 'gram' ? gramPlan({ ...request, k }) : covariancePlan({ ...request, k }, 'exact', plan.inFlight);
  if (planned.bytes <= request.budget.bytes) return;
  const { limit, raise } = limitText(request.budget);
  throw new LatentkitError(
    'E_OPTION',
    `reducer "pca": latentDim ${latentDim} keeps ${k} components, and ${k}×${request.D} components with ${plan.what} need ${formatBytes(planned.bytes)}, more than ${limit}; use a smaller variance fraction or a component count, or ${raise}`,
  );
}
