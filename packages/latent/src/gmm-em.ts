import { throwIfAborted, type Matrix, type Rng } from '@latentkit/core';
import { GaussianComponent } from './gaussian-component.js';
import { assignToCentres, kmeansPlusPlus, refineCentres } from './kmeans.js';
import { weightedMoments, type CovarianceType } from './moments.js';

export interface EmSettings {
  readonly k: number;
  readonly covariance: CovarianceType;
  readonly maxIter: number;
  /** Stop when the mean per-sample log-likelihood improves by less than this (sklearn's criterion). */
  readonly tol: number;
  /** Added to every covariance diagonal in each M-step so no component collapses onto a point. */
  readonly regCovar: number;
}

export interface EmHooks {
  readonly signal?: AbortSignal;
  readonly onIteration?: (iteration: number, meanLogLikelihood: number) => void;
  readonly pause: () => Promise<void>;
}

export interface MixtureParams {
  readonly weights: Float64Array;
  readonly components: readonly GaussianComponent[];
}

export interface EmResult extends MixtureParams {
  /** Total log-likelihood of the data under the returned parameters. */
  readonly logLikelihood: number;
  readonly converged: boolean;
  readonly iterations: number;
}

const KMEANS_ITERATIONS = 10;
// sklearn adds 10·eps to every component's mass so weights never reach exactly zero.
const MASS_FLOOR = 10 * Number.EPSILON;

/** log Σ_c w_c N(x; μ_c, Σ_c) for the row at `offset`, writing each term into `terms`. */
export function mixtureLogTerms(params: MixtureParams, logWeights: Float64Array, data: ArrayLike<number>, offset: number, terms: Float64Array): number {
  let max = -Infinity;
  for (let c = 0; c < params.components.length; c++) {
    const t = logWeights[c]! + params.components[c]!.logPdfAt(data, offset);
    terms[c] = t;
    if (t > max) max = t;
  }
  if (max === -Infinity) return -Infinity;
  let s = 0;
  for (let c = 0; c < params.components.length; c++) s += Math.exp(terms[c]! - max);
  return max + Math.log(s);
}

/** E-step: fills resp (n×k) with posterior responsibilities and returns the total log-likelihood. */
function expectation(x: Matrix, params: MixtureParams, resp: Float64Array): number {
  const k = params.components.length;
  const logWeights = params.weights.map(Math.log);
  const terms = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < x.rows; i++) {
    const lse = mixtureLogTerms(params, logWeights, x.data, i * x.cols, terms);
    total += lse;
    for (let c = 0; c < k; c++) resp[i * k + c] = Math.exp(terms[c]! - lse);
  }
  return total;
}

/** M-step: weights, means and regularised covariances from responsibilities. */
function maximisation(x: Matrix, resp: Float64Array, settings: EmSettings, previous: readonly GaussianComponent[]): MixtureParams {
  const { k, covariance: type, regCovar } = settings;
  const d = x.cols;
  const masses = new Float64Array(k);
  const components: GaussianComponent[] = [];
  for (let c = 0; c < k; c++) {
    const m = weightedMoments(x, type, resp, k, c);
    masses[c] = m.total + MASS_FLOOR;
    if (!(m.total > MASS_FLOOR)) {
      // A component that owns no data keeps its last shape instead of becoming N(0, reg·I).
      components.push(previous[c]!);
      continue;
    }
    for (let j = 0; j < d; j++) m.covariance[j * d + j]! += regCovar;
    components.push(new GaussianComponent(m.mean, m.covariance, `mixture component ${c} covariance`));
  }
  let massSum = 0;
  for (let c = 0; c < k; c++) massSum += masses[c]!;
  return { weights: masses.map((v) => v / massSum), components };
}

/** Components for the k-means centres with the pooled covariance: the fallback for empty clusters. */
function centreComponents(x: Matrix, centres: Float64Array, settings: EmSettings): GaussianComponent[] {
  const d = x.cols;
  const pooled = weightedMoments(x, settings.covariance).covariance;
  for (let j = 0; j < d; j++) pooled[j * d + j]! += settings.regCovar;
  return Array.from({ length: settings.k }, (_, c) => new GaussianComponent(centres.slice(c * d, (c + 1) * d), pooled, 'pooled covariance'));
}

/** One EM run from a seeded k-means++ start (centres refined by a few Lloyd steps, then hard responsibilities). */
export async function runEm(x: Matrix, settings: EmSettings, rng: Rng, hooks: EmHooks): Promise<EmResult> {
  const { k } = settings;
  const n = x.rows;
  const centres = kmeansPlusPlus(x, k, rng);
  const labels = k > 1 ? refineCentres(x, centres, k, KMEANS_ITERATIONS) : assignToCentres(x, centres, k);
  const resp = new Float64Array(n * k);
  for (let i = 0; i < n; i++) resp[i * k + labels[i]!] = 1;

  let params = maximisation(x, resp, settings, centreComponents(x, centres, settings));
  let logLikelihood = expectation(x, params, resp);
  let converged = false;
  let iterations = 0;
  while (iterations < settings.maxIter) {
    throwIfAborted(hooks.signal, 'Gaussian mixture fit');
    iterations++;
    params = maximisation(x, resp, settings, params.components);
    const next = expectation(x, params, resp);
    const change = (next - logLikelihood) / n;
    logLikelihood = next;
    hooks.onIteration?.(iterations, next / n);
    if (Math.abs(change) < settings.tol) {
      converged = true;
      break;
    }
    await hooks.pause();
  }
  throwIfAborted(hooks.signal, 'Gaussian mixture fit');
  return { ...params, logLikelihood, converged, iterations };
}
