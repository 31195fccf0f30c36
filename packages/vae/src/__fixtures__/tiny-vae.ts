import * as tf from '@tensorflow/tfjs';
import { ParamStore, setupBackend, type ParamSpec } from '@latentkit/ae-core';
import { vaeOptions, type VaeOptions } from '../options.js';
import type { VaeArchitecture } from '../architecture.js';
import { VaeReducer } from '../reducer.js';

/** D = 4 inputs, d = 2: one dense layer each way, weights set by hand (so a test can redo the maths in JS). */
export const D = 4;
export const d = 2;
/** Encoder [D, 2d]: columns 0–1 give μ, 2–3 give log σ². */
export const W_ENC = [
  [0.5, -0.2, 0.1, -0.3],
  [-0.4, 0.3, -0.2, 0.2],
  [0.2, 0.1, 0.3, -0.1],
  [0.1, -0.5, -0.1, 0.4],
];
export const B_ENC = [0.05, -0.1, -0.5, 0.2];
/** Decoder [d, D] into a sigmoid. */
export const W_DEC = [
  [0.7, -0.3, 0.2, 0.5],
  [-0.6, 0.4, 0.9, -0.2],
];
export const B_DEC = [0.1, -0.2, 0.0, 0.3];

const specs: ParamSpec[] = [
  { name: 'enc.w', shape: [D, 2 * d], init: 'zeros' },
  { name: 'enc.b', shape: [2 * d], init: 'zeros' },
  { name: 'dec.w', shape: [d, D], init: 'zeros' },
  { name: 'dec.b', shape: [D], init: 'zeros' },
];

export const tinyArchitecture: VaeArchitecture = {
  params: specs,
  moments: (p, x) => {
    const h = tf.add(tf.matMul(x, p['enc.w']!), p['enc.b']!) as tf.Tensor2D;
    const [mean, logVar] = tf.split(h, [d, d], 1) as [tf.Tensor2D, tf.Tensor2D];
    return { mean, logVar };
  },
  encode: (p, x, ctx) => tinyArchitecture.moments(p, x, ctx).mean,
  decode: (p, z) => tf.sigmoid(tf.add(tf.matMul(z, p['dec.w']!), p['dec.b']!)) as tf.Tensor2D,
};

export function tinyStore(): ParamStore {
  return ParamStore.fromValues(
    specs,
    new Map([
      ['enc.w', Float32Array.from(W_ENC.flat())],
      ['enc.b', Float32Array.from(B_ENC)],
      ['dec.w', Float32Array.from(W_DEC.flat())],
      ['dec.b', Float32Array.from(B_DEC)],
    ]),
  );
}

export function tinyOptions(over: Partial<VaeOptions> = {}): VaeOptions {
  return { ...vaeOptions.parse({ backend: 'cpu' }), ...over };
}

/** A fitted-looking VAE reducer over the hand-set weights (cpu backend: exact float32 maths, no threads). */
export async function tinyVae(over: Partial<VaeOptions> = {}): Promise<VaeReducer> {
  await setupBackend('cpu');
  return new VaeReducer({ kind: 'vae', latentDim: d, options: tinyOptions(over), inputShape: [D], architecture: tinyArchitecture, store: tinyStore(), seed: 0, history: [] });
}

/** Everything the network computes for one row and one ε, in plain JS (float64). */
export function handForward(x: readonly number[], eps: readonly number[]) {
  const h = B_ENC.map((b, j) => b + x.reduce((s, v, i) => s + v * W_ENC[i]![j]!, 0));
  const mean = h.slice(0, d);
  const logVar = h.slice(d);
  const z = mean.map((m, k) => m + Math.exp(logVar[k]! / 2) * eps[k]!);
  const xHat = B_DEC.map((b, j) => 1 / (1 + Math.exp(-(b + z.reduce((s, v, k) => s + v * W_DEC[k]![j]!, 0)))));
  return { mean, logVar, z, xHat };
}
