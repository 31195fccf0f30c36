import { LatentkitError } from '@latentkit/core';

/**
 * A plain description of a Keras Sequential model: standard layer classes only (Dense, Conv2D,
 * Conv2DTranspose, BatchNormalization, Activation, Reshape, Flatten, ZeroPadding2D), each with its weights
 * already in the Keras layout. Autoencoder kinds describe their encoder and decoder in these terms; the
 * builder turns a description into a tf.Sequential, so the saved model.json needs no custom layers.
 */

/** Activations by their Keras names (all of latentkit's hidden nonlinearities have one). */
export type KerasActivation = 'relu' | 'elu' | 'tanh' | 'sigmoid' | 'linear';

/** A weight's values in row-major order with its Keras shape. */
export interface WeightArray {
  readonly values: Float32Array;
  readonly shape: readonly number[];
}

/** Kernel [in, out]. */
export interface DenseLayerSpec {
  readonly type: 'dense';
  readonly units: number;
  readonly activation: KerasActivation;
  readonly kernel: WeightArray;
  readonly bias: WeightArray;
}

/** Valid padding. Conv2D kernels are [h, w, in, out]; Conv2DTranspose kernels are [h, w, out, in]. */
export interface ConvLayerSpec {
  readonly type: 'conv2d' | 'conv2dTranspose';
  readonly filters: number;
  readonly kernelSize: number;
  readonly strides: number;
  readonly activation: KerasActivation;
  readonly kernel: WeightArray;
  /** Absent: the layer has no bias (useBias false). */
  readonly bias?: WeightArray;
}

/** Per-channel (last axis) batch norm at inference: (x − movingMean)/sqrt(movingVariance + epsilon)·gamma + beta. */
export interface BatchNormLayerSpec {
  readonly type: 'batchNormalization';
  readonly epsilon: number;
  readonly momentum: number;
  readonly gamma: WeightArray;
  readonly beta: WeightArray;
  readonly movingMean: WeightArray;
  readonly movingVariance: WeightArray;
}

export type LayerSpec =
  | DenseLayerSpec
  | ConvLayerSpec
  | BatchNormLayerSpec
  | { readonly type: 'activation'; readonly activation: KerasActivation }
  | { readonly type: 'reshape'; readonly targetShape: readonly number[] }
  | { readonly type: 'flatten' }
  /** Zeros added after the last row/column ([[top, bottom], [left, right]]). */
  | { readonly type: 'zeroPadding2d'; readonly padding: readonly [readonly [number, number], readonly [number, number]] };

/** One Sequential model: a name ("encoder", "decoder"), the shape of one input row and the layers in order. */
export interface SequentialSpec {
  readonly name: string;
  readonly inputShape: readonly number[];
  readonly layers: readonly LayerSpec[];
}

/** An autoencoder as two Sequential models over flat rows: encoder [D] → [d], decoder [d] → [D]. */
export interface AutoencoderLayers {
  readonly encoder: SequentialSpec;
  readonly decoder: SequentialSpec;
}

/** A weight from a named-params snapshot, reshaped (same values, row-major) to a Keras shape. */
export function weightArray(values: Float32Array | undefined, shape: readonly number[], name: string): WeightArray {
  const count = shape.reduce((a, b) => a * b, 1);
  if (!values || values.length !== count) throw new LatentkitError('E_SHAPE', `weight "${name}" is missing or has ${values?.length ?? 0} values, expected ${count}`);
  return { values, shape };
}
