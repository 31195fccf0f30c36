import type { ModelExporter } from '@latentkit/core';
import { setupBackend } from '../backend.js';
import { AutoencoderReducer } from '../reducer.js';
import { EXPORT_FORMAT, EXPORT_MANIFEST_FILE, type LayersExportManifest } from './export-manifest.js';
import type { AutoencoderLayers, SequentialSpec } from './layer-spec.js';
import { layersModelFiles, WEIGHTS_FILE, type ExportWriter } from './layers-model-files.js';
import { buildSequential } from './sequential.js';

/** Declared in core (`ReducerPlugin.exporters`); re-exported here for the exporters ae-core makes. */
export type { ModelExporter } from '@latentkit/core';

/**
 * Writes an autoencoder as two TF.js LayersModels: encoder/model.json + encoder/weights.bin, the same for
 * decoder/, and latentkit-export.json describing them. Returns the paths written.
 */
export async function writeAutoencoderLayers(
  meta: { readonly kind: string; readonly latentDim: number; readonly inputShape: readonly number[] },
  layers: AutoencoderLayers,
  write: ExportWriter,
): Promise<string[]> {
  const written: string[] = [];
  for (const spec of [layers.encoder, layers.decoder]) written.push(...(await writeSequential(spec, write)));
  const manifest: LayersExportManifest = {
    format: EXPORT_FORMAT,
    formatVersion: 1,
    kind: meta.kind,
    latentDim: meta.latentDim,
    inputShape: [...meta.inputShape],
    encoder: `${layers.encoder.name}/model.json`,
    decoder: `${layers.decoder.name}/model.json`,
  };
  await write(EXPORT_MANIFEST_FILE, new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`));
  return [...written, EXPORT_MANIFEST_FILE];
}

async function writeSequential(spec: SequentialSpec, write: ExportWriter): Promise<string[]> {
  const model = buildSequential(spec);
  try {
    const files = await layersModelFiles(model);
    const json = `${spec.name}/model.json`;
    const bin = `${spec.name}/${WEIGHTS_FILE}`;
    await write(json, files.modelJson);
    await write(bin, files.weightsBin);
    return [json, bin];
  } finally {
    model.dispose();
  }
}

/**
 * The "layers" exporter of one autoencoder kind: offers fitted models of that kind (the owning package
 * passes its own kind) and writes the Keras layers its `describe` gives.
 */
export function autoencoderLayersExporter(kind: string, describe: (model: AutoencoderReducer) => AutoencoderLayers): ModelExporter {
  return {
    format: 'layers',
    description: 'TF.js LayersModel pair (encoder/ and decoder/ model.json + weights.bin) that tf.loadLayersModel opens',
    offers: (model) => model instanceof AutoencoderReducer && model.kind === kind,
    async export(model, write) {
      const ae = model as AutoencoderReducer;
      // The layers are built (and their weights set) on the backend the model runs on.
      await setupBackend(ae.options.backend);
      return writeAutoencoderLayers({ kind: ae.kind, latentDim: ae.latentDim, inputShape: ae.inputShape }, describe(ae), write);
    },
  };
}
