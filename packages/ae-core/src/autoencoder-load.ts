import { LatentkitError, type LossPoint, type ModelBundle } from '@latentkit/core';
import type { z } from 'zod';
import { setupBackend } from './backend.js';
import { modelPartOf } from './checkpoint.js';
import { ParamStore } from './network.js';
import { assertReadableSpecVersion } from './spec-versions.js';
import { assertLatentDim } from './options.js';
import { AutoencoderReducer, type AutoencoderDefinition, type AutoencoderOptionsSchema } from './reducer.js';
import { weightsFromBundle } from './weights.js';
import { assertInferenceThreads } from './parallel/inference-threads.js';

/** How a loaded model runs. */
export interface LoadAutoencoderOptions {
  /** Threads for large encode/decode calls (default 1; see AutoencoderReducer.inferenceThreads). */
  readonly inferenceThreads?: number;
}

/** Restores a fitted autoencoder from a bundle written by save() (or a checkpoint: its last epoch's model). */
export async function loadAutoencoder<S extends AutoencoderOptionsSchema>(
  def: AutoencoderDefinition<S>,
  bundle: ModelBundle,
  loadOptions: LoadAutoencoderOptions = {},
): Promise<AutoencoderReducer<z.output<S>>> {
  const inferenceThreads = assertInferenceThreads(def.kind, loadOptions.inferenceThreads ?? 1);
  const m = bundle.manifest;
  if (m.kind !== def.kind) throw new LatentkitError('E_BUNDLE_CORRUPT', `bundle holds a "${m.kind}" model, not "${def.kind}"`);
  assertReadableSpecVersion(def.kind, m.specVersion);
  const parsed = def.options.safeParse(m.options);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ');
    throw new LatentkitError('E_BUNDLE_CORRUPT', `${def.kind} bundle: its options do not validate (${problems})`);
  }
  const options = parsed.data as z.output<S>;
  const latentDim = assertLatentDim(def.kind, m.latentDim);
  await setupBackend(options.backend);
  const architecture = def.build({ kind: def.kind, inputShape: m.inputShape, latentDim, options });
  // A checkpoint loads as the model of its last epoch; its training-state blobs are not weights.
  const store = ParamStore.fromValues(architecture.params, weightsFromBundle(modelPartOf(bundle), architecture.params));
  const history = Array.isArray(m.extra.history) ? (m.extra.history as unknown as LossPoint[]) : [];
  return new AutoencoderReducer({ kind: def.kind, package: def.package, latentDim, options, inputShape: m.inputShape, architecture, store, seed: m.seed, history, ...(def.replica ? { replica: def.replica } : {}), inferenceThreads });
}
