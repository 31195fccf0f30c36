import * as tf from '@tensorflow/tfjs';
import { AutoencoderReducer, INFERENCE, mapTensorBatches, setupBackend, type AutoencoderState } from '@latentkit/ae-core';
import {
  assertCols,
  assertFinite,
  createMatrix,
  createRng,
  LatentkitError,
  sliceRows,
  type Capability,
  type GaussianCodes,
  type Matrix,
} from '@latentkit/core';
import type { VaeArchitecture } from './architecture.js';
import { elboTerms, gaussianNats } from './elbo-terms.js';
import type { VaeOptions } from './options.js';
import { rowSeed } from './row-seed.js';

/** What a fitted VAE can do (the plugin declares the same list). */
export const VAE_CAPABILITIES: readonly Capability[] = ['encode', 'decode', 'encode-distribution', 'sample', 'likelihood-bound'];

/** How `logLikelihoodBound` estimates the ELBO's expectation over q(z|x). */
export interface BoundOptions {
  /** Draws of z per row (default 1: the estimate is unbiased, and each draw costs a decode); the KL term is exact. */
  readonly samples?: number;
  /** Seed of the draws (default 0): a row's noise depends only on (seed, the row's values), never on batching. */
  readonly seed?: number;
}

const BOUND_BATCH_ROWS = 256;

/**
 * A fitted VAE: ae-core's autoencoder (encode = μ, decode, save, dispose) plus q(z|x), prior samples and the
 * ELBO per row. Made by fitVae / loadVae from the fitted autoencoder's state.
 */
export class VaeReducer extends AutoencoderReducer<VaeOptions> {
  override readonly capabilities: readonly Capability[] = VAE_CAPABILITIES;
  readonly #architecture: VaeArchitecture;

  constructor(state: AutoencoderState<VaeOptions> & { readonly architecture: VaeArchitecture }) {
    super(state);
    this.#architecture = state.architecture;
  }

  /** q(z|x) per row: μ (the same as encode) and log σ². */
  async encodeDistribution(x: Matrix): Promise<GaussianCodes> {
    const vars = this.#checkedInput(x, 'encodeDistribution');
    await setupBackend(this.options.backend);
    const d = this.latentDim;
    const both = await mapTensorBatches(x, 2 * d, (b) => {
      const { mean, logVar } = this.#architecture.moments(vars, b, INFERENCE);
      return tf.concat([mean, logVar], 1) as tf.Tensor2D;
    });
    const mean = createMatrix(x.rows, d);
    const logVar = createMatrix(x.rows, d);
    for (let i = 0; i < x.rows; i++) {
      mean.data.set(both.data.subarray(i * 2 * d, i * 2 * d + d), i * d);
      logVar.data.set(both.data.subarray(i * 2 * d + d, (i + 1) * 2 * d), i * d);
    }
    return { mean, logVar };
  }

  /** n images g(z) with z drawn from the prior N(0, I), seeded (default seed 0). */
  async sample(n: number, options: { readonly seed?: number } = {}): Promise<Matrix> {
    if (!Number.isInteger(n) || n < 0) throw new LatentkitError('E_OPTION', `${this.kind} sample: n must be an integer ≥ 0, got ${n}`);
    const seed = options.seed ?? 0;
    if (!Number.isFinite(seed)) throw new LatentkitError('E_OPTION', `${this.kind} sample: seed must be a finite number, got ${seed}`);
    const rng = createRng(seed);
    const z = createMatrix(n, this.latentDim);
    for (let i = 0; i < z.data.length; i++) z.data[i] = rng.normal();
    return this.decode(z);
  }

  /**
   * The evidence lower bound per row, in nats: E_q[log N(x; g(z), σ²I)] − KL(q(z|x) ‖ N(0, I)) ≤ log p(x),
   * with σ the model's `outputStd` and β = 1 whatever β it was trained with (it is a bound only then). The
   * expectation is a mean over `samples` seeded draws. −bound is an anomaly score: high for unlikely rows.
   */
  async logLikelihoodBound(x: Matrix, options: BoundOptions = {}): Promise<Float64Array> {
    const samples = options.samples ?? 1;
    const seed = options.seed ?? 0;
    if (!Number.isInteger(samples) || samples < 1) throw new LatentkitError('E_OPTION', `${this.kind} logLikelihoodBound: samples must be an integer ≥ 1, got ${samples}`);
    const vars = this.#checkedInput(x, 'logLikelihoodBound');
    await setupBackend(this.options.backend);
    const { latentDim: d, inputDim: D } = this;
    const out = new Float64Array(x.rows);
    for (let start = 0; start < x.rows; start += BOUND_BATCH_ROWS) {
      const batch = sliceRows(x, start, Math.min(start + BOUND_BATCH_ROWS, x.rows));
      const n = batch.rows;
      // Each row's draws come from a generator keyed by its values, so its bound does not depend on the batch.
      const eps = new Float32Array(samples * n * d);
      for (let i = 0; i < n; i++) {
        const rng = createRng(rowSeed(seed, batch.data.subarray(i * D, (i + 1) * D)));
        for (let s = 0; s < samples; s++) for (let k = 0; k < d; k++) eps[(s * n + i) * d + k] = rng.normal();
      }
      const [se, kl] = tf.tidy(() => {
        const xb = tf.tile(tf.tensor2d(batch.data, [n, D]), [samples, 1]) as tf.Tensor2D;
        const t = elboTerms(this.#architecture, vars, xb, tf.tensor2d(eps, [samples * n, d]), INFERENCE);
        return [t.squaredError, t.kl];
      });
      const seValues = se.dataSync();
      const klValues = kl.dataSync();
      tf.dispose([se, kl]);
      for (let i = 0; i < n; i++) {
        let nats = 0;
        for (let s = 0; s < samples; s++) nats += gaussianNats(seValues[s * n + i]!, D, this.options.outputStd);
        out[start + i] = -(nats / samples) - klValues[i]!;
      }
    }
    return out;
  }

  #checkedInput(x: Matrix, method: string) {
    const vars = this.params.vars;
    assertCols(x, this.inputDim, `${this.kind} ${method} input`);
    assertFinite(x, `${this.kind} ${method} input`);
    return vars;
  }
}
