import type { Capability } from '@latentkit/core';
import type { RunModelData } from '@latentkit/run';

/** Whether a run's model declares every capability (from run.json; the viewer never looks at kinds). */
export function modelCan(model: RunModelData, ...capabilities: Capability[]): boolean {
  return capabilities.every((c) => model.info.capabilities.includes(c));
}

/** Models whose stored codes can be decoded back into images: they encode, decode and have codes. */
export function reconstructingModels(models: readonly RunModelData[]): RunModelData[] {
  return models.filter((m) => m.codes !== undefined && modelCan(m, 'encode', 'decode'));
}

/** Models that can restore any rows as g(f(x)): they encode and decode (stored codes are not needed). */
export function restoringModels(models: readonly RunModelData[]): RunModelData[] {
  return models.filter((m) => modelCan(m, 'encode', 'decode'));
}

/** The reconstructing model with the lowest test MSE (the first when none has one), or undefined. */
export function bestReconstructingModel(models: readonly RunModelData[]): RunModelData | undefined {
  const candidates = reconstructingModels(models);
  const scored = candidates.filter((m) => typeof m.info.testMse === 'number' && Number.isFinite(m.info.testMse));
  if (scored.length === 0) return candidates[0];
  return scored.reduce((best, m) => (m.info.testMse! < best.info.testMse! ? m : best));
}

/** Whether a model has a latent density fitted to its codes (latent.json) that its decoder can turn into images. */
export function hasDecodableDensity(model: RunModelData): boolean {
  return modelCan(model, 'decode') && (model.latent?.gaussian !== undefined || model.latent?.gmm !== undefined);
}

/** Models that can draw new images: a fitted density and a decoder, or their own prior ("sample"). */
export function samplingModels(models: readonly RunModelData[]): RunModelData[] {
  return models.filter((m) => hasDecodableDensity(m) || modelCan(m, 'sample'));
}

/** Models with codes for the run's points (encode or fit-transform): what the scatter plots. */
export function modelsWithCodes(models: readonly RunModelData[]): RunModelData[] {
  return models.filter((m) => m.codes !== undefined);
}
