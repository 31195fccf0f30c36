import * as tf from '@tensorflow/tfjs';
import type { Matrix, Rng } from '@latentkit/core';
import { initialValues } from './init.js';
import type { ParamSpec, ParamStore } from './network.js';

/**
 * A weight whose starting value depends on the training data, e.g. the bias of a sigmoid output set to
 * the logit of the mean pixel so the first reconstruction is the average brightness instead of 0.5 grey.
 * The training loop sets it from the training rows (never the validation rows) before the first step of
 * a fresh fit and of every retry; resumed and loaded models keep their saved values. An architecture
 * adds `fromData` to the ParamSpec it declares; `init` still gives the value before training starts.
 */
export interface DataInitParamSpec extends ParamSpec {
  readonly fromData: (x: Matrix, rows: Int32Array) => Float32Array;
}

export function dataInitOf(spec: ParamSpec): DataInitParamSpec['fromData'] | undefined {
  return typeof spec.fromData === 'function' ? spec.fromData : undefined;
}

/** Sets every data-initialised weight of the store from the given training rows. */
export function applyDataInit(store: ParamStore, x: Matrix, rows: Int32Array): void {
  for (const spec of store.specs) {
    const fromData = dataInitOf(spec);
    if (!fromData) continue;
    const values = fromData(x, rows);
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (values.length !== size) throw new Error(`data initialiser of "${spec.name}" returned ${values.length} values for shape [${spec.shape.join(',')}]`);
    tf.tidy(() => store.vars[spec.name]!.assign(tf.tensor(values, [...spec.shape], 'float32')));
  }
}

/** Draws fresh starting values for every weight, in spec order, exactly as ParamStore.initialise does. */
export function reinitialise(store: ParamStore, rng: Rng): void {
  store.restore(new Map(store.specs.map((s) => [s.name, initialValues(s.init, s.shape, rng, s.fans)])));
}

/**
 * Logit of the mean value of each of `channels` interleaved channels (feature j belongs to channel
 * j mod channels: NHWC images flattened, or channels = cols for one value per feature), over the given
 * rows. Means are clamped to [eps, 1 − eps] so that an always-black pixel starts at a finite logit.
 */
export function meanLogits(x: Matrix, rows: Int32Array, channels: number, eps = 1e-3): Float32Array {
  const sum = new Float64Array(channels);
  const count = new Float64Array(channels);
  for (const r of rows) {
    const base = r * x.cols;
    for (let j = 0; j < x.cols; j++) {
      sum[j % channels]! += x.data[base + j]!;
      count[j % channels]!++;
    }
  }
  const out = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    const p = Math.min(1 - eps, Math.max(eps, count[c]! > 0 ? sum[c]! / count[c]! : 0.5));
    out[c] = Math.log(p / (1 - p));
  }
  return out;
}
