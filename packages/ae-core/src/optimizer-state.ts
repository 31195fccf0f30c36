import * as tf from '@tensorflow/tfjs';
import { LatentkitError } from '@latentkit/core';
import { FusedAdam } from './fused-adam.js';

/**
 * Everything tfjs's Adam carries between steps: the step count, the running products β1^t and β2^t
 * used for bias correction, and the first and second moments of each trainable variable (in the
 * order the variables are passed to applyGradients).
 */
export interface AdamState {
  readonly iterations: number;
  readonly accBeta1: number;
  readonly accBeta2: number;
  readonly firstMoments: readonly Float32Array[];
  readonly secondMoments: readonly Float32Array[];
}

/** The private bias-correction accumulators of tfjs's AdamOptimizer (not in its public typings). */
interface AdamInternals {
  accBeta1?: tf.Variable;
  accBeta2?: tf.Variable;
}

function internalsOf(optimizer: tf.Optimizer): Required<AdamInternals> {
  const { accBeta1, accBeta2 } = optimizer as unknown as AdamInternals;
  if (!accBeta1 || !accBeta2) throw new LatentkitError('E_BACKEND', 'this tfjs version\'s Adam optimizer has no accBeta1/accBeta2 state to checkpoint');
  return { accBeta1, accBeta2 };
}

/**
 * Copies the optimizer state out: tfjs's Adam (getWeights for the moments, plus the β accumulators) or
 * FusedAdam (whose moments not yet created are written as zeros sized from `variables`).
 */
export async function captureAdamState(optimizer: tf.Optimizer | FusedAdam, variables: readonly { readonly size: number }[] = []): Promise<AdamState> {
  if (optimizer instanceof FusedAdam) return optimizer.state(variables.map((v) => v.size));
  const named = await optimizer.getWeights();
  // named[0] is a fresh 'iter' scalar; the rest are the optimizer's own moment variables (not ours to dispose).
  const [iter, ...moments] = named;
  const iterations = iter!.tensor.dataSync()[0]!;
  iter!.tensor.dispose();
  const half = moments.length / 2;
  const copy = (t: tf.Tensor) => Float32Array.from(t.dataSync() as Float32Array);
  const { accBeta1, accBeta2 } = internalsOf(optimizer);
  return {
    iterations,
    accBeta1: accBeta1.dataSync()[0]!,
    accBeta2: accBeta2.dataSync()[0]!,
    firstMoments: moments.slice(0, half).map((m) => copy(m.tensor)),
    secondMoments: moments.slice(half).map((m) => copy(m.tensor)),
  };
}

/**
 * Loads saved state into a fresh optimizer for `variables`. setWeights recomputes β^t as pow(β, t+1),
 * which can differ in the last bit from the running product Adam keeps, so the saved accumulators are
 * written back afterwards: that is what makes a resumed run bit-identical to an uninterrupted one.
 */
export async function restoreAdamState(optimizer: tf.Optimizer | FusedAdam, state: AdamState, variables: readonly tf.Variable[]): Promise<void> {
  if (optimizer instanceof FusedAdam) return optimizer.load(state, variables.map((v) => v.size));
  const n = variables.length;
  if (state.firstMoments.length !== n || state.secondMoments.length !== n) {
    throw new LatentkitError('E_BUNDLE_CORRUPT', `optimizer state has ${state.firstMoments.length} moments, the model has ${n} trainable weights`);
  }
  const tensors = [
    tf.scalar(state.iterations, 'int32'),
    ...state.firstMoments.map((m, i) => momentTensor(m, variables[i]!, 'first')),
    ...state.secondMoments.map((v, i) => momentTensor(v, variables[i]!, 'second')),
  ];
  try {
    // Names are informational only: Adam matches moments to variables by position.
    await optimizer.setWeights(tensors.map((tensor, i) => ({ name: i === 0 ? 'iter' : `${i <= n ? 'm' : 'v'}${(i - 1) % n}`, tensor })));
  } finally {
    // The optimizer's variables hold their own references to the data.
    tf.dispose(tensors);
  }
  const { accBeta1, accBeta2 } = internalsOf(optimizer);
  tf.tidy(() => {
    accBeta1.assign(tf.scalar(state.accBeta1));
    accBeta2.assign(tf.scalar(state.accBeta2));
  });
}

function momentTensor(values: Float32Array, variable: tf.Variable, which: string): tf.Tensor {
  if (values.length !== variable.size) {
    throw new LatentkitError('E_BUNDLE_CORRUPT', `optimizer ${which} moment for a weight of shape [${variable.shape.join(',')}] has ${values.length} values, expected ${variable.size}`);
  }
  return tf.tensor(values, variable.shape, 'float32');
}

/** True when every number in the state is finite (a checkpoint must never hold NaN or Inf). */
export function isFiniteAdamState(state: AdamState): boolean {
  const finite = (a: Float32Array) => a.every(Number.isFinite);
  return Number.isFinite(state.accBeta1) && Number.isFinite(state.accBeta2) && state.firstMoments.every(finite) && state.secondMoments.every(finite);
}
