import * as tf from '@tensorflow/tfjs';
import { LatentkitError } from '@latentkit/core';

/** The two files of a TF.js LayersModel: model.json (topology + weights manifest) and its weight shard. */
export interface LayersModelFiles {
  readonly modelJson: Uint8Array;
  readonly weightsBin: Uint8Array;
}

/** Where an export writes: a path relative to the export folder and its bytes (Node: fs; browser: a zip, a download…). */
export type ExportWriter = (path: string, bytes: Uint8Array) => Promise<void>;

/** Reads a file an export refers to (a path relative to the folder model.json is in, resolved by the caller). */
export type ExportReader = (path: string) => Promise<Uint8Array>;

/** The weight shard's file name, as model.json refers to it (relative to model.json's folder). */
export const WEIGHTS_FILE = 'weights.bin';

/**
 * Serialises a LayersModel the way `model.save('file://…')` lays it out, through tf.io.withSaveHandler so no
 * file system is touched: model.json in the "layers-model" format with one weight shard.
 */
export async function layersModelFiles(model: tf.LayersModel): Promise<LayersModelFiles> {
  let captured: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!captured?.modelTopology || !captured.weightSpecs) throw new LatentkitError('E_BACKEND', 'tfjs saved a LayersModel without topology or weights');
  const weights = captured.weightData === undefined ? new ArrayBuffer(0) : tf.io.concatenateArrayBuffers(captured.weightData as ArrayBuffer | ArrayBuffer[]);
  const json = {
    format: 'layers-model',
    generatedBy: captured.generatedBy,
    convertedBy: captured.convertedBy ?? null,
    modelTopology: withInputLayer(captured.modelTopology),
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: captured.weightSpecs }],
  };
  return { modelJson: new TextEncoder().encode(JSON.stringify(json)), weightsBin: new Uint8Array(weights) };
}

type LayerConfig = { class_name: string; config: Record<string, unknown> };

/**
 * A Sequential topology with its input as an explicit first InputLayer, as Keras 2's own Sequential.get_config
 * writes it, instead of tfjs's batch_input_shape on the first layer. Both Kerases and tfjs read this form;
 * Keras 3 misreads the other (it takes batch_input_shape [null, 784] as an input shape and expects rank 3).
 */
function withInputLayer(topology: tf.io.ModelArtifacts['modelTopology']): tf.io.ModelArtifacts['modelTopology'] {
  const model = topology as { class_name?: string; config?: { name?: string; layers?: LayerConfig[] } } | undefined;
  const layers = model?.class_name === 'Sequential' ? model.config?.layers : undefined;
  const first = layers?.[0];
  if (!model?.config || !layers || !first || first.class_name === 'InputLayer' || !('batch_input_shape' in first.config)) return topology;
  const { batch_input_shape: batchInputShape, ...rest } = first.config;
  const input: LayerConfig = {
    class_name: 'InputLayer',
    config: { batch_input_shape: batchInputShape, dtype: first.config.dtype ?? 'float32', sparse: false, name: `${model.config.name ?? 'model'}_input` },
  };
  return { ...model, config: { ...model.config, layers: [input, { ...first, config: rest }, ...layers.slice(1)] } } as tf.io.ModelArtifacts['modelTopology'];
}

/**
 * Opens a LayersModel with tf.loadLayersModel from model.json bytes, reading its weight shards through
 * `readRelative` (paths as model.json lists them). `source` names the model in errors.
 */
export async function loadLayersModelFrom(modelJson: Uint8Array, readRelative: ExportReader, source: string): Promise<tf.LayersModel> {
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(new TextDecoder().decode(modelJson)) as tf.io.ModelJSON;
  } catch (e) {
    throw new LatentkitError('E_INPUT_FORMAT', `${source} is not JSON (${(e as Error).message})`, { cause: e });
  }
  if (!json || typeof json !== 'object' || !json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new LatentkitError('E_INPUT_FORMAT', `${source} is not a TF.js LayersModel model.json (needs modelTopology and weightsManifest)`);
  }
  const artifacts = await tf.io.getModelArtifactsForJSON(json, async (manifest) => {
    const specs = manifest.flatMap((group) => group.weights);
    const shards = await Promise.all(manifest.flatMap((group) => group.paths.map((p) => readRelative(p))));
    return [specs, concatenate(shards)];
  });
  try {
    return await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (e) {
    throw new LatentkitError('E_INPUT_FORMAT', `${source}: tf.loadLayersModel refused it (${(e as Error).message.split('\n')[0]})`, { cause: e });
  }
}

function concatenate(parts: readonly Uint8Array[]): ArrayBuffer {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out.buffer;
}
