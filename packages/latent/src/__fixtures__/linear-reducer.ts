import { createMatrix, type Capability, type Matrix, type ModelBundle, type Reducer } from '@latentkit/core';

/**
 * A test reducer with a known linear map: encode z = x·W (W is D×d), decode x̂ = z·Wᵀ. Every
 * expected value in the tests can be worked out by hand from W.
 */
export class LinearReducer implements Reducer {
  readonly kind = 'linear-test';
  readonly capabilities: readonly Capability[] = ['encode', 'decode'];
  readonly latentDim: number;
  readonly inputDim: number;
  readonly inputShape: readonly number[];
  readonly parameterCount: number;
  encodeCalls = 0;

  constructor(private readonly w: readonly (readonly number[])[]) {
    this.inputDim = w.length;
    this.latentDim = w[0]!.length;
    this.inputShape = [this.inputDim];
    this.parameterCount = this.inputDim * this.latentDim;
  }

  async encode(x: Matrix): Promise<Matrix> {
    this.encodeCalls++;
    const out = createMatrix(x.rows, this.latentDim);
    for (let i = 0; i < x.rows; i++) {
      for (let k = 0; k < this.latentDim; k++) {
        let s = 0;
        for (let j = 0; j < this.inputDim; j++) s += x.data[i * x.cols + j]! * this.w[j]![k]!;
        out.data[i * this.latentDim + k] = s;
      }
    }
    return out;
  }

  async decode(z: Matrix): Promise<Matrix> {
    const out = createMatrix(z.rows, this.inputDim);
    for (let i = 0; i < z.rows; i++) {
      for (let j = 0; j < this.inputDim; j++) {
        let s = 0;
        for (let k = 0; k < this.latentDim; k++) s += z.data[i * z.cols + k]! * this.w[j]![k]!;
        out.data[i * this.inputDim + j] = s;
      }
    }
    return out;
  }

  async save(): Promise<ModelBundle> {
    throw new Error('not needed in tests');
  }

  dispose(): void {}
}
