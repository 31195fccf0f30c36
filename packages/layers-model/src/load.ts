import { setupBackend } from '@latentkit/ae-core';
import { LatentkitError, type ModelBundle } from '@latentkit/core';
import { LayersModelReducer, type OpenedModel } from './layers-model-reducer.js';
import { openModel } from './open-model.js';
import { layersModelOptions } from './options.js';
import { LAYERS_MODEL_KIND } from './package-info.js';
import { assembleState } from './state.js';

/** Restores a layers-model from a bundle written by save(): its model files are inside, nothing else is read. */
export async function loadLayersModel(bundle: ModelBundle): Promise<LayersModelReducer> {
  const m = bundle.manifest;
  if (m.kind !== LAYERS_MODEL_KIND) throw new LatentkitError('E_BUNDLE_CORRUPT', `bundle holds a "${m.kind}" model, not "${LAYERS_MODEL_KIND}"`);
  const corrupt = (why: string) => new LatentkitError('E_BUNDLE_CORRUPT', `layers-model bundle: ${why}`);
  const parsed = layersModelOptions.safeParse(m.options);
  if (!parsed.success) throw corrupt(`its options do not validate (${parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ')})`);
  const options = parsed.data;
  await setupBackend(options.backend);
  const part = async (name: string): Promise<OpenedModel | undefined> => {
    const json = bundle.blobs.get(`${name}.model.json`);
    const weights = bundle.blobs.get(`${name}.weights.bin`);
    if (!json && !weights) return undefined;
    if (!json || !weights) throw corrupt(`${name}.model.json and ${name}.weights.bin come together; one is missing`);
    return openModel(json.bytes, async () => weights.bytes, `bundle ${name}.model.json`);
  };
  const encoder = await part('encoder');
  if (!encoder) throw corrupt('it holds no encoder');
  let decoder: OpenedModel | undefined;
  try {
    decoder = await part('decoder');
    return new LayersModelReducer(assembleState({ options, inputShape: m.inputShape, latentDim: m.latentDim, encoder, decoder }, 'in the bundle'));
  } catch (e) {
    encoder.model.dispose();
    decoder?.model.dispose();
    throw e;
  }
}
