import type { CheckDefinition } from './definition.js';
import { decodeBadInput, decodeShape, reconstruction } from './decode.js';
import { encodeDistribution } from './distribution.js';
import { encodeBadInput, encodeBatching, encodeShape } from './encode.js';
import { determinism, fitAbort, fitEmpty, fitModel, fitNonFinite, latentTooLarge } from './fit.js';
import { fitStream } from './fit-stream.js';
import { fitTransformEmbedding } from './fit-transform.js';
import { likelihoodBound } from './likelihood-bound.js';
import { dispose, undeclaredAbsent } from './lifecycle.js';
import { partialFit } from './partial-fit.js';
import { bundlePackage, loadOtherKind, saveLoad } from './persistence.js';
import { optionsSchema, pluginShape } from './plugin.js';
import { sample } from './sample.js';

export type { CheckDefinition } from './definition.js';
export { pluginShape } from './plugin.js';

/**
 * Every check in the order a suite runs them: cheap shape checks first, then those reading the shared
 * model, then those that fit their own, and dispose last (it takes the shared model).
 */
export const ALL_CHECKS: readonly CheckDefinition[] = [
  pluginShape,
  optionsSchema,
  fitModel,
  fitTransformEmbedding,
  encodeShape,
  encodeBatching,
  encodeBadInput,
  decodeShape,
  decodeBadInput,
  reconstruction,
  encodeDistribution,
  sample,
  likelihoodBound,
  undeclaredAbsent,
  saveLoad,
  bundlePackage,
  loadOtherKind,
  determinism,
  partialFit,
  fitStream,
  fitEmpty,
  fitNonFinite,
  fitAbort,
  latentTooLarge,
  dispose,
];
