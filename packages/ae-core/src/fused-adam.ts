import * as tf from '@tensorflow/tfjs';
import { LatentkitError } from '@latentkit/core';
import type { AdamState } from './optimizer-state.js';
import { adamKernel, type AdamKernel } from './wasm/adam-kernel.js';
import { heapReader, type HeapReader } from './wasm/heap.js';

/** tfjs's Adam defaults. */
export const ADAM_BETA1 = 0.9;
export const ADAM_BETA2 = 0.999;

/** Where each weight's moments live in the kernel's memory, plus scratch room for one weight and gradient. */
interface Layout {
  readonly sizes: readonly number[];
  readonly m: readonly number[];
  readonly v: readonly number[];
  readonly w: number;
  readonly g: number;
}

/**
 * Adam as one SIMD pass over each weight's values (a 410-byte WebAssembly kernel; a plain loop where SIMD is
 * missing) instead of tfjs's chain of about fifteen small kernels, each allocating a tensor, per weight. Same
 * update rule as tf.train.adam: moments, bias correction with running β^t products kept in float32, ε from the
 * backend. The moments live in the kernel's memory; `applyFlat` updates weight arrays in place, which is also
 * what the data-parallel path feeds it.
 */
export class FusedAdam {
  /** Read on every step; the training loop changes it for the learning-rate schedule. */
  learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  #iterations = 0;
  // β^(t+1) as tfjs keeps them: float32 scalars multiplied once per step.
  #accBeta1: number;
  #accBeta2: number;
  readonly #kernel: AdamKernel | undefined;
  #layout: Layout | undefined;
  // The moments without a kernel.
  #m: Float32Array[] = [];
  #v: Float32Array[] = [];

  constructor(learningRate: number, beta1 = ADAM_BETA1, beta2 = ADAM_BETA2, epsilon?: number, useKernel = true) {
    this.learningRate = learningRate;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon ?? tf.backend().epsilon();
    this.#accBeta1 = Math.fround(beta1);
    this.#accBeta2 = Math.fround(beta2);
    this.#kernel = useKernel ? adamKernel() : undefined;
  }

  get iterations(): number {
    return this.#iterations;
  }

  /** One step: `weights[i] -= lr · m̂ / (√v̂ + ε)` in place, from `grads[i]` (same order and sizes every step). */
  applyFlat(weights: readonly Float32Array[], grads: readonly Float32Array[]): void {
    const sizes = weights.map((w) => w.length);
    const { step, r } = this.#begin(sizes, grads.map((g) => g.length));
    if (this.#kernel) this.#stepKernel(this.#kernel, weights, grads, sizes, step, r);
    else this.#stepLoop(weights, grads, step, r);
    this.#end();
  }

  /** Checks the gradients' sizes against the weights' (one E_SHAPE line) and returns the step's constants. */
  #begin(sizes: readonly number[], gradSizes: readonly number[]): { step: number; r: number } {
    if (sizes.length !== gradSizes.length) throw new LatentkitError('E_SHAPE', `Adam got ${gradSizes.length} gradients for ${sizes.length} weights`);
    sizes.forEach((n, i) => {
      if (gradSizes[i] !== n) throw new LatentkitError('E_SHAPE', `Adam got a gradient of ${gradSizes[i]} values for a weight of ${n}`);
    });
    const k1 = Math.fround(1 - this.#accBeta1);
    const k2 = Math.fround(1 - this.#accBeta2);
    // m̂/(√v̂ + ε) with the bias corrections folded into two constants: one division per value, not three.
    return { step: -this.learningRate / k1, r: 1 / Math.sqrt(k2) };
  }

  /** Advances the β accumulators (kept in float32, as tfjs does) and the step count. */
  #end(): void {
    this.#accBeta1 = Math.fround(this.#accBeta1 * Math.fround(this.beta1));
    this.#accBeta2 = Math.fround(this.#accBeta2 * Math.fround(this.beta2));
    this.#iterations++;
  }

  /** One step on tf.Variables from gradients in the same order (the tensors stay the caller's). */
  applyGradients(variables: readonly tf.Variable[], grads: readonly tf.Tensor[]): void {
    const heap = heapReader();
    if (this.#kernel && heap) {
      this.#stepVariables(this.#kernel, heap, variables, grads);
      return;
    }
    // slice(): a memcpy, and the cpu backend's dataSync hands out the tensor's own array.
    const weights = variables.map((v) => (v.dataSync() as Float32Array).slice());
    this.applyFlat(weights, grads.map((g) => g.dataSync() as Float32Array));
    variables.forEach((v, i) => tf.tidy(() => v.assign(tf.tensor(weights[i]!, v.shape, 'float32'))));
  }

  #stepKernel(kernel: AdamKernel, weights: readonly Float32Array[], grads: readonly Float32Array[], sizes: readonly number[], step: number, r: number): void {
    const layout = this.#layoutFor(kernel, sizes);
    const heap = new Float32Array(kernel.memory.buffer);
    const { beta1: b1, beta2: b2, epsilon: eps } = this;
    for (let i = 0; i < weights.length; i++) {
      const n = sizes[i]!;
      heap.set(weights[i]!, layout.w / 4);
      heap.set(grads[i]!, layout.g / 4);
      kernel.adam(layout.w, layout.g, layout.m[i]!, layout.v[i]!, n, b1, b2, 1 - b1, 1 - b2, step, r, eps);
      weights[i]!.set(heap.subarray(layout.w / 4, layout.w / 4 + n));
    }
  }

  /**
   * The kernel path for tf.Variables on the wasm backend: each weight and gradient is copied once from the
   * backend's heap into the kernel's memory, and the updated weight once into a new tensor: 3 copies instead
   * of 7 through dataSync and intermediate arrays. Same arithmetic as applyFlat.
   */
  #stepVariables(kernel: AdamKernel, heapOf: HeapReader, variables: readonly tf.Variable[], grads: readonly tf.Tensor[]): void {
    const sizes = variables.map((v) => v.size);
    const { step, r } = this.#begin(sizes, grads.map((g) => g.size));
    const layout = this.#layoutFor(kernel, sizes);
    const { beta1: b1, beta2: b2, epsilon: eps } = this;
    for (let i = 0; i < variables.length; i++) {
      const v = variables[i]!;
      const n = sizes[i]!;
      const memory = new Float32Array(kernel.memory.buffer);
      memory.set(heapOf(v), layout.w / 4);
      memory.set(heapOf(grads[i]!), layout.g / 4);
      kernel.adam(layout.w, layout.g, layout.m[i]!, layout.v[i]!, n, b1, b2, 1 - b1, 1 - b2, step, r, eps);
      // tf.tensor copies into the backend's heap at once on wasm, so the kernel's memory is free to reuse.
      const updated = tf.tensor(memory.subarray(layout.w / 4, layout.w / 4 + n), v.shape, 'float32');
      v.assign(updated);
      updated.dispose();
    }
    this.#end();
  }

  #stepLoop(weights: readonly Float32Array[], grads: readonly Float32Array[], step: number, r: number): void {
    const { beta1: b1, beta2: b2, epsilon: eps } = this;
    const c1 = 1 - b1;
    const c2 = 1 - b2;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i]!;
      const g = grads[i]!;
      const m = (this.#m[i] ??= new Float32Array(w.length));
      const v = (this.#v[i] ??= new Float32Array(w.length));
      for (let j = 0; j < w.length; j++) {
        const gj = g[j]!;
        // Rounded to float32 as stored, so the update uses exactly the moments kept.
        const mj = Math.fround(m[j]! * b1 + gj * c1);
        const vj = Math.fround(v[j]! * b2 + gj * gj * c2);
        m[j] = mj;
        v[j] = vj;
        w[j] = w[j]! + (step * mj) / (Math.sqrt(vj) * r + eps);
      }
    }
  }

  /** The kernel memory's layout for these weight sizes, made (moments zeroed) on first use. */
  #layoutFor(kernel: AdamKernel, sizes: readonly number[]): Layout {
    if (this.#layout) {
      if (sizes.join() !== this.#layout.sizes.join()) throw new LatentkitError('E_SHAPE', `Adam was set up for weights of sizes ${this.#layout.sizes.join(',')}, got ${sizes.join(',')}`);
      return this.#layout;
    }
    // 16-byte aligned regions: m_i and v_i for every weight, then one weight and one gradient of scratch.
    const bytes = (n: number) => Math.ceil((n * 4) / 16) * 16;
    let at = 0;
    const take = (n: number) => {
      const start = at;
      at += bytes(n);
      return start;
    };
    const m = sizes.map(take);
    const v = sizes.map(take);
    const largest = Math.max(0, ...sizes);
    const w = take(largest);
    const g = take(largest);
    const missing = at - kernel.memory.buffer.byteLength;
    if (missing > 0) kernel.memory.grow(Math.ceil(missing / 65536));
    this.#layout = { sizes: [...sizes], m, v, w, g };
    return this.#layout;
  }

  #moment(which: 'm' | 'v', i: number, n: number): Float32Array {
    const layout = this.#layout;
    if (this.#kernel && layout) return new Float32Array(this.#kernel.memory.buffer, layout[which][i]!, n).slice();
    return (which === 'm' ? this.#m : this.#v)[i]?.slice() ?? new Float32Array(n);
  }

  /** Copies of the step count, β accumulators and moments (moments not yet created read as zeros). */
  state(sizes: readonly number[]): AdamState {
    return {
      iterations: this.#iterations,
      accBeta1: this.#accBeta1,
      accBeta2: this.#accBeta2,
      firstMoments: sizes.map((n, i) => this.#moment('m', i, n)),
      secondMoments: sizes.map((n, i) => this.#moment('v', i, n)),
    };
  }

  /** Continues from `state` (checked against `sizes` first: one E_BUNDLE_CORRUPT line on a mismatch). */
  load(state: AdamState, sizes: readonly number[]): void {
    const n = sizes.length;
    if (state.firstMoments.length !== n || state.secondMoments.length !== n) {
      throw new LatentkitError('E_BUNDLE_CORRUPT', `optimizer state has ${state.firstMoments.length} moments, the model has ${n} trainable weights`);
    }
    const check = (a: Float32Array, i: number, which: string) => {
      if (a.length !== sizes[i]) throw new LatentkitError('E_BUNDLE_CORRUPT', `optimizer ${which} moment ${i} has ${a.length} values, expected ${sizes[i]}`);
    };
    state.firstMoments.forEach((a, i) => check(a, i, 'first'));
    state.secondMoments.forEach((a, i) => check(a, i, 'second'));
    if (this.#kernel) {
      const layout = this.#layoutFor(this.#kernel, sizes);
      const heap = new Float32Array(this.#kernel.memory.buffer);
      state.firstMoments.forEach((a, i) => heap.set(a, layout.m[i]! / 4));
      state.secondMoments.forEach((a, i) => heap.set(a, layout.v[i]! / 4));
    } else {
      this.#m = state.firstMoments.map((a) => a.slice());
      this.#v = state.secondMoments.map((a) => a.slice());
    }
    this.#iterations = state.iterations;
    this.#accBeta1 = state.accBeta1;
    this.#accBeta2 = state.accBeta2;
  }
}
