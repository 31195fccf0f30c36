import { EXPORT_MANIFEST_FILE, parseExportManifest, setupBackend } from '@latentkit/ae-core';
import { assertFinite, LatentkitError, throwIfAborted, type Dataset, type FitOptions, type FitResult, type ReducerSettings } from '@latentkit/core';
import { besides, inside, type ModelFileReader } from './files.js';
import { LayersModelReducer, type OpenedModel } from './layers-model-reducer.js';
import { openModel } from './open-model.js';
import type { LayersModelOptions } from './options.js';
import { assembleState } from './state.js';

/**
 * "Fitting" a layers-model loads it: nothing is trained. The data is checked against the encoder (its
 * feature count must be the encoder's input size, values finite) and latentDim must be the encoder's code
 * size, so a mismatch is found here rather than at the first encode.
 */
export async function fitLayersModel(
  data: Dataset,
  settings: ReducerSettings<LayersModelOptions>,
  read: ModelFileReader,
  fitOptions: FitOptions = {},
): Promise<{ model: LayersModelReducer; result: FitResult }> {
  const started = performance.now();
  const options = settings.options;
  throwIfAborted(fitOptions.signal, 'layers-model fit');
  if (data.x.rows === 0) throw new LatentkitError('E_EMPTY', `layers-model fit: dataset "${data.name}" has no rows`);
  assertFinite(data.x, `layers-model fit data "${data.name}"`);
  const where = await locate(options, read);
  await setupBackend(options.backend);
  const encoder = await open(where.encoder, read);
  let decoder: OpenedModel | undefined;
  try {
    throwIfAborted(fitOptions.signal, 'layers-model fit');
    decoder = where.decoder === undefined ? undefined : await open(where.decoder, read);
    throwIfAborted(fitOptions.signal, 'layers-model fit');
    const features = encoder.inputShape.reduce((a, b) => a * b, 1);
    if (data.x.cols !== features) throw new LatentkitError('E_SHAPE', `layers-model: the encoder ${where.encoder} takes ${features} features per row, dataset "${data.name}" has ${data.x.cols}`);
    const inputShape = where.inputShape ?? data.imageShape ?? [data.x.cols];
    const state = assembleState({ options, inputShape, latentDim: settings.latentDim, encoder, decoder }, where.encoder);
    const model = new LayersModelReducer(state);
    return { model, result: { seconds: (performance.now() - started) / 1000, info: { loaded: true, parameterCount: model.parameterCount } } };
  } catch (e) {
    encoder.model.dispose();
    decoder?.model.dispose();
    throw e;
  }
}

interface Located {
  readonly encoder: string;
  readonly decoder?: string;
  /** From an export manifest: how a row folds into an image. */
  readonly inputShape?: readonly number[];
}

async function locate(options: LayersModelOptions, read: ModelFileReader): Promise<Located> {
  if (options.folder !== undefined) {
    if (options.encoder !== undefined || options.decoder !== undefined) {
      throw new LatentkitError('E_OPTION', 'reducer "layers-model": give either folder or encoder (and decoder), not both');
    }
    const path = inside(options.folder, EXPORT_MANIFEST_FILE);
    const manifest = parseExportManifest(await read(path), path);
    return {
      encoder: inside(options.folder, manifest.encoder),
      ...(manifest.decoder !== undefined ? { decoder: inside(options.folder, manifest.decoder) } : {}),
      inputShape: manifest.inputShape,
    };
  }
  if (options.encoder === undefined) {
    throw new LatentkitError('E_OPTION', 'reducer "layers-model" needs a model: set folder (an exported folder) or encoder (a model.json), e.g. --opt folder=DIR');
  }
  return { encoder: options.encoder, ...(options.decoder !== undefined ? { decoder: options.decoder } : {}) };
}

async function open(path: string, read: ModelFileReader): Promise<OpenedModel> {
  return openModel(await read(path), (relative) => read(besides(path, relative)), path);
}
