import {
  assertCols,
  assertFinite,
  createBundle,
  createMatrix,
  float32Blob,
  LatentkitError,
  readFloat32Blob,
  REDUCER_SPEC_VERSION,
  type Capability,
  type Matrix,
  type ModelBundle,
  type Reducer,
} from '@latentkit/core';

export const KIND = '__KIND__';
export const CAPABILITIES: readonly Capability[] = ['encode', 'decode'];

/**
 * A fitted model (made only by fit() or load(), so never half-initialised):
 * z = (x − μ) R with R a D×d matrix of orthonormal columns; x̂ = z Rᵀ + μ.
 */
export class __CLASS_NAME__Model implements Reducer {
  readonly kind = KIND;
  readonly capabilities = CAPABILITIES;
  readonly inputShape: readonly number[];
  readonly inputDim: number;
  readonly latentDim: number;
  #mean: Float32Array | undefined;
  #basis: Float32Array | undefined; // D×d, row-major
  readonly #seed: number;
  readonly #options: Readonly<Record<string, boolean>>;

  constructor(init: { mean: Float32Array; basis: Float32Array; inputShape: readonly number[]; latentDim: number; seed: number; options: Readonly<Record<string, boolean>> }) {
    this.#mean = init.mean;
    this.#basis = init.basis;
    this.inputShape = [...init.inputShape];
    this.inputDim = init.mean.length;
    this.latentDim = init.latentDim;
    this.#seed = init.seed;
    this.#options = init.options;
  }

  get parameterCount(): number {
    return this.inputDim * (this.latentDim + 1);
  }

  async encode(x: Matrix): Promise<Matrix> {
    const { mean, basis } = this.#parts();
    assertCols(x, this.inputDim, `${KIND} encode input`);
    assertFinite(x, `${KIND} encode input`);
    const D = this.inputDim, d = this.latentDim;
    const z = new Float32Array(x.rows * d);
    for (let i = 0; i < x.rows; i++) {
      for (let k = 0; k < d; k++) {
        let s = 0;
        for (let j = 0; j < D; j++) s += (x.data[i * D + j]! - mean[j]!) * basis[j * d + k]!;
        z[i * d + k] = s;
      }
    }
    return createMatrix(x.rows, d, z);
  }

  async decode(z: Matrix): Promise<Matrix> {
    const { mean, basis } = this.#parts();
    assertCols(z, this.latentDim, `${KIND} decode input`);
    assertFinite(z, `${KIND} decode input`);
    const D = this.inputDim, d = this.latentDim;
    const x = new Float32Array(z.rows * D);
    for (let i = 0; i < z.rows; i++) {
      for (let j = 0; j < D; j++) {
        let s = mean[j]!;
        for (let k = 0; k < d; k++) s += z.data[i * d + k]! * basis[j * d + k]!;
        x[i * D + j] = s;
      }
    }
    return createMatrix(z.rows, D, x);
  }

  async save(): Promise<ModelBundle> {
    const { mean, basis } = this.#parts();
    return createBundle({
      kind: KIND,
      specVersion: REDUCER_SPEC_VERSION,
      options: this.#options,
      inputShape: this.inputShape,
      latentDim: this.latentDim,
      seed: this.#seed,
      blobs: { mean: float32Blob(mean, [this.inputDim]), basis: float32Blob(basis, [this.inputDim, this.latentDim]) },
    });
  }

  /** Restores a saved model; refuses another kind's bundle. */
  static fromBundle(bundle: ModelBundle): __CLASS_NAME__Model {
    const m = bundle.manifest;
    if (m.kind !== KIND) throw new LatentkitError('E_BUNDLE_CORRUPT', `bundle holds a "${m.kind}" model, not ${KIND}`);
    const D = m.inputShape.reduce((a, b) => a * b, 1);
    return new __CLASS_NAME__Model({
      mean: readFloat32Blob(bundle, 'mean', [D]),
      basis: readFloat32Blob(bundle, 'basis', [D, m.latentDim]),
      inputShape: m.inputShape,
      latentDim: m.latentDim,
      seed: m.seed ?? 0,
      options: { center: m.options.center !== false },
    });
  }

  dispose(): void {
    this.#mean = undefined;
    this.#basis = undefined;
  }

  #parts(): { mean: Float32Array; basis: Float32Array } {
    if (!this.#mean || !this.#basis) throw new LatentkitError('E_NOT_FITTED', `this ${KIND} model was disposed`);
    return { mean: this.#mean, basis: this.#basis };
  }
}
