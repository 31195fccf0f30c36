import { throwIfAborted, type Matrix, type Rng } from '@latentkit/core';
import { GaussianComponent } from './gaussian-component.js';
import { assignToCentres, kmeansPlusPlus, refineCentres } from './kmeans.js';
import { columnsOf } from './columns.js';
import { mixtureLogTermsOfColumns, type MixtureLogTermsOut } from './gmm-estep.js';
import { mixtureColumnSums } from './mixture-sums.js';
import type { CovarianceType } from './moments.js';
import { momentsScratch, weightedMomentsOfColumns, type MomentsScratch } from './moments-columns.js';

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

/** E-step: turns resp (k×n) into posterior responsibilities and returns the total log-likelihood. */
function expectation(xt: Float64Array, n: number, params: MixtureParams, work: MixtureLogTermsOut): number {
  const logWeights = params.weights.map(Math.log);
  return mixtureLogTermsOfColumns(params.components, logWeights, xt, n, work, true);
}

/** The rows as columns, the responsibilities (k×n, component c at [c·n, (c+1)·n)) and scratch, allocated once per run. */
interface EmData {
  readonly xt: Float64Array;
  readonly n: number;
  readonly d: number;
  readonly work: MixtureLogTermsOut;
  readonly scratch: MomentsScratch;
}

/** M-step: weights, means and regularised covariances from responsibilities. */
function maximisation(data: EmData, settings: EmSettings, previous: readonly GaussianComponent[]): MixtureParams {
  const { k, covariance: type, regCovar } = settings;
  const { xt, n, d, scratch } = data;
  const resp = data.work.terms;
  const masses = new Float64Array(k);
  const components: GaussianComponent[] = [];
  const sums = mixtureColumnSums(xt, n, d, resp, k);
  for (let c = 0; c < k; c++) {
    const m = weightedMomentsOfColumns(xt, n, d, type, resp, c * n, scratch, sums.subarray(c * d, (c + 1) * d));
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
function centreComponents(data: EmData, centres: Float64Array, settings: EmSettings): GaussianComponent[] {
  const { xt, n, d, scratch } = data;
  const pooled = weightedMomentsOfColumns(xt, n, d, settings.covariance, undefined, 0, scratch).covariance;
  for (let j = 0; j < d; j++) pooled[j * d + j]! += settings.regCovar;
  return Array.from({ length: settings.k }, (_, c) => new GaussianComponent(centres.slice(c * d, (c + 1) * d), pooled, 'pooled covariance'));
}

/** One EM run from a seeded k-means++ start (centres refined by a few Lloyd steps, then hard responsibilities). */
export async function runEm(x: Matrix, settings: EmSettings, rng: Rng, hooks: EmHooks): Promise<EmResult> {
  const { k } = settings;
  const n = x.rows;
  const centres = kmeansPlusPlus(x, k, rng);
  const labels = k > 1 ? refineCentres(x, centres, k, KMEANS_ITERATIONS) : assignToCentres(x, centres, k);
  const d = x.cols;
  const resp = new Float64Array(k * n);
  for (let i = 0; i < n; i++) resp[labels[i]! * n + i] = 1;
  const data: EmData = { xt: columnsOf(x), n, d, work: { terms: resp, rowLogLikelihood: new Float64Array(n) }, scratch: momentsScratch(d) };

  let params = maximisation(data, settings, centreComponents(data, centres, settings));
  let logLikelihood = expectation(data.xt, n, params, data.work);
  let converged = false;
  let iterations = 0;
  while (iterations < settings.maxIter) {
    throwIfAborted(hooks.signal, 'Gaussian mixture fit');
    iterations++;
    params = maximisation(data, settings, params.components);
    const next = expectation(data.xt, n, params, data.work);
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
