import type * as tf from '@tensorflow/tfjs';
import { layersModelFiles, loadLayersModelFrom, type ExportReader } from '@latentkit/ae-core';
import { LatentkitError } from '@latentkit/core';
import type { OpenedModel } from './layers-model-reducer.js';

/**
 * Opens one LayersModel with tf.loadLayersModel and re-serialises it into one canonical model.json + weight
 * shard (what bundles store). It must have one input and one output of fixed size apart from the batch axis.
 */
export async function openModel(modelJson: Uint8Array, readRelative: ExportReader, source: string): Promise<OpenedModel> {
  const model = await loadLayersModelFrom(modelJson, readRelative, source);
  try {
    const inputShape = sampleShape(model.inputs, source, 'input');
    const outputShape = sampleShape(model.outputs, source, 'output');
    return { model, files: await layersModelFiles(model), inputShape, outputShape };
  } catch (e) {
    model.dispose();
    throw e;
  }
}

function sampleShape(tensors: readonly tf.SymbolicTensor[], source: string, what: 'input' | 'output'): number[] {
  if (tensors.length !== 1) throw new LatentkitError('E_SHAPE', `${source}: a reducer's model needs exactly one ${what}, this one has ${tensors.length}`);
  const [, ...rest] = tensors[0]!.shape;
  if (rest.length === 0 || rest.some((d) => d === null || !Number.isInteger(d) || d < 1)) {
    throw new LatentkitError('E_SHAPE', `${source}: its ${what} shape [${tensors[0]!.shape.map((d) => d ?? 'null').join(',')}] needs a fixed size apart from the batch axis`);
  }
  return rest as number[];
}
