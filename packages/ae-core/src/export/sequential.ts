import * as tf from '@tensorflow/tfjs';
import { LatentkitError } from '@latentkit/core';
import type { LayerSpec, SequentialSpec, WeightArray } from './layer-spec.js';

/**
 * Builds a tf.Sequential from a description and sets its weights. Layers are named `${spec.name}_${i}_${type}`
 * so weight names in model.json are stable across runs. The caller disposes the model.
 */
export function buildSequential(spec: SequentialSpec): tf.Sequential {
  if (spec.layers.length === 0) throw new LatentkitError('E_OPTION', `layers model "${spec.name}" has no layers`);
  const model = tf.sequential({ name: spec.name });
  try {
    spec.layers.forEach((layer, i) => {
      // Keras puts the input shape on the first layer (batch_input_shape in the saved config).
      const base = { name: `${spec.name}_${i}_${layer.type}`, ...(i === 0 ? { inputShape: [...spec.inputShape] } : {}) };
      const tfLayer = createLayer(layer, base);
      model.add(tfLayer);
      setWeights(tfLayer, weightsOf(layer), `${spec.name} layer ${i} (${layer.type})`);
    });
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}

interface BaseArgs {
  readonly name: string;
  readonly inputShape?: number[];
}

function createLayer(layer: LayerSpec, base: BaseArgs): tf.layers.Layer {
  switch (layer.type) {
    case 'dense':
      return tf.layers.dense({ ...base, units: layer.units, activation: layer.activation });
    case 'conv2d':
    case 'conv2dTranspose': {
      const args = {
        ...base,
        filters: layer.filters,
        kernelSize: layer.kernelSize,
        strides: layer.strides,
        padding: 'valid' as const,
        activation: layer.activation,
        useBias: layer.bias !== undefined,
      };
      return layer.type === 'conv2d' ? tf.layers.conv2d(args) : tf.layers.conv2dTranspose(args);
    }
    case 'batchNormalization':
      return tf.layers.batchNormalization({ ...base, axis: -1, epsilon: layer.epsilon, momentum: layer.momentum });
    case 'activation':
      return tf.layers.activation({ ...base, activation: layer.activation });
    case 'reshape':
      return tf.layers.reshape({ ...base, targetShape: [...layer.targetShape] });
    case 'flatten':
      return tf.layers.flatten(base);
    case 'zeroPadding2d':
      return tf.layers.zeroPadding2d({ ...base, padding: [[...layer.padding[0]], [...layer.padding[1]]] });
  }
}

/** The weights in the order tfjs (and Keras) layers hold them. */
function weightsOf(layer: LayerSpec): WeightArray[] {
  switch (layer.type) {
    case 'dense':
      return [layer.kernel, layer.bias];
    case 'conv2d':
    case 'conv2dTranspose':
      return layer.bias ? [layer.kernel, layer.bias] : [layer.kernel];
    case 'batchNormalization':
      return [layer.gamma, layer.beta, layer.movingMean, layer.movingVariance];
    default:
      return [];
  }
}

function setWeights(layer: tf.layers.Layer, weights: readonly WeightArray[], where: string): void {
  const expected = layer.weights.map((w) => w.shape);
  if (expected.length !== weights.length) throw new LatentkitError('E_SHAPE', `${where}: ${weights.length} weights given, the layer holds ${expected.length}`);
  weights.forEach((w, i) => {
    const want = expected[i]!;
    if (want.length !== w.shape.length || want.some((d, j) => d !== w.shape[j])) {
      throw new LatentkitError('E_SHAPE', `${where}: weight ${i} has shape [${w.shape.join(',')}], the layer needs [${want.join(',')}]`);
    }
  });
  if (weights.length === 0) return;
  const tensors = weights.map((w) => tf.tensor(w.values, [...w.shape], 'float32'));
  try {
    layer.setWeights(tensors);
  } finally {
    tf.dispose(tensors);
  }
}
