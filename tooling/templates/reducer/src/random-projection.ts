import {
  LatentkitError,
  REDUCER_SPEC_VERSION,
  assertCols,
  assertFinite,
  columnMeans,
  createBundle,
  createMatrix,
  createRng,
  float32Blob,
  inputShapeOf,
  readFloat32Blob,
  throwIfAborted,
  type Dataset,
  type FitOptions,
  type FitResult,
  type Matrix,
  type ModelBundle,
  type Reducer,
} from '@latentkit/core';

export const KIND = 'random-projection';

/** z = (x − μ) R with R a seeded D×d matrix of orthonormal columns; x̂ = z Rᵀ + μ. */
export class RandomProjection implements Reducer {
  readonly kind = KIND;
  #latentDim: number;
  #mean?: Float32Array;
  #basis?: Float32Array; // D×d row-major
  #inputShape?: number[];
  #seed = 0;

  constructor(latentDim: number) {
    if (!Number.isInteger(latentDim) || latentDim < 1) throw new LatentkitError('E_OPTION', `latentDim must be a positive integer, got ${latentDim}`);
    this.#latentDim = latentDim;
  }

  get latentDim(): number {
    return this.#latentDim;
  }
  get inputDim(): number | undefined {
    return this.#mean?.length;
  }
  get inputShape(): readonly number[] | undefined {
    return this.#inputShape;
  }
  get parameterCount(): number {
    return this.#basis ? this.#basis.length + this.#mean!.length : 0;
  }

  async fit(data: Dataset, options: FitOptions = {}): Promise<FitResult> {
    const t0 = performance.now();
    throwIfAborted(options.signal, 'random-projection fit');
    assertFinite(data.x, data.name);
    const D = data.x.cols, d = this.#latentDim;
    if (d >= D) throw new LatentkitError('E_OPTION', `latentDim ${d} must be smaller than the input dimension ${D}`);
    this.#seed = options.seed ?? 0;
    this.#mean = Float32Array.from(columnMeans(data.x));
    this.#basis = orthonormalColumns(D, d, this.#seed);
    this.#inputShape = inputShapeOf(data);
    options.onProgress?.({ phase: 'fit', fraction: 1 });
    return { seconds: (performance.now() - t0) / 1000 };
  }

  async encode(x: Matrix): Promise<Matrix> {
    const { mean, basis } = this.#fitted();
    assertCols(x, mean.length, 'encode input');
    assertFinite(x, 'encode input');
    const D = mean.length, d = this.#latentDim;
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
    const { mean, basis } = this.#fitted();
    assertCols(z, this.#latentDim, 'decode input');
    const D = mean.length, d = this.#latentDim;
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
    const { mean, basis } = this.#fitted();
    return createBundle({
      kind: KIND,
      specVersion: REDUCER_SPEC_VERSION,
      options: { latentDim: this.#latentDim },
      inputShape: this.#inputShape!,
      latentDim: this.#latentDim,
      seed: this.#seed,
      blobs: { mean: float32Blob(mean, [mean.length]), basis: float32Blob(basis, [mean.length, this.#latentDim]) },
    });
  }

  /** Restores a saved model; refuses another kind's bundle. */
  static fromBundle(bundle: ModelBundle): RandomProjection {
    if (bundle.manifest.kind !== KIND) throw new LatentkitError('E_BUNDLE_CORRUPT', `bundle is a "${bundle.manifest.kind}" model, not ${KIND}`);
    const r = new RandomProjection(bundle.manifest.latentDim);
    const D = bundle.manifest.inputShape.reduce((a, b) => a * b, 1);
    r.#mean = readFloat32Blob(bundle, 'mean', [D]);
    r.#basis = readFloat32Blob(bundle, 'basis', [D, r.#latentDim]);
    r.#inputShape = [...bundle.manifest.inputShape];
    r.#seed = bundle.manifest.seed ?? 0;
    return r;
  }

  dispose(): void {
    this.#mean = undefined;
    this.#basis = undefined;
  }

  #fitted(): { mean: Float32Array; basis: Float32Array } {
    if (!this.#mean || !this.#basis) throw new LatentkitError('E_NOT_FITTED', `${KIND} is not fitted: call fit() or load a bundle first`);
    return { mean: this.#mean, basis: this.#basis };
  }
}

/** Gaussian D×d matrix orthonormalised by modified Gram–Schmidt (float64). */
function orthonormalColumns(D: number, d: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const cols: Float64Array[] = [];
  for (let k = 0; k < d; k++) {
    const v = Float64Array.from({ length: D }, () => rng.normal());
    for (const u of cols) {
      let dot = 0;
      for (let j = 0; j < D; j++) dot += v[j]! * u[j]!;
      for (let j = 0; j < D; j++) v[j]! -= dot * u[j]!;
    }
    const norm = Math.hypot(...v);
    for (let j = 0; j < D; j++) v[j]! /= norm;
    cols.push(v);
  }
  const out = new Float32Array(D * d);
  for (let j = 0; j < D; j++) for (let k = 0; k < d; k++) out[j * d + k] = cols[k]![j]!;
  return out;
}
