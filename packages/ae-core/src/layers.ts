import * as tf from '@tensorflow/tfjs';
import type { InitKind } from './init.js';
import type { ParamSpec, Params } from './network.js';

/** Hidden-layer nonlinearities an autoencoder option may name. */
export type ActivationName = 'relu' | 'elu' | 'tanh' | 'sigmoid' | 'linear';
export const ACTIVATIONS: readonly ActivationName[] = ['relu', 'elu', 'tanh', 'sigmoid', 'linear'];

export function activate<T extends tf.Tensor>(name: ActivationName, x: T): T {
  switch (name) {
    case 'relu':
      return tf.relu(x);
    case 'elu':
      return tf.elu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'linear':
      return x;
  }
}

/** He initialisation suits rectifiers; Glorot suits symmetric or no nonlinearity. */
export function initFor(activation: ActivationName): InitKind {
  return activation === 'relu' || activation === 'elu' ? 'heNormal' : 'glorotUniform';
}

/** Specs of a fully connected layer: `${prefix}.kernel` [in, out] and `${prefix}.bias` [out]. */
export function denseSpecs(prefix: string, inDim: number, outDim: number, init: InitKind): ParamSpec[] {
  return [
    { name: `${prefix}.kernel`, shape: [inDim, outDim], init },
    { name: `${prefix}.bias`, shape: [outDim], init: 'zeros' },
  ];
}

export function dense(p: Params, prefix: string, x: tf.Tensor2D): tf.Tensor2D {
  return tf.add(tf.matMul(x, p[`${prefix}.kernel`]!), p[`${prefix}.bias`]!);
}
