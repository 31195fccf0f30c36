// @latentkit/run/node: what Node apps share — the run-folder writer, a reader over disk, and the
// fit → evaluate → checkpoint → save pipeline. Browser-safe parts are re-exported for convenience.
export * from './index.js';
export { runDirReader, readRunDir } from './node/dir-reader.js';
export { writeRunFolder, writeRunManifest, type RunInput, type RunModelInput, type RunModelAnalysis, type WriteRunOptions } from './node/writer.js';
export { fitLatentDensities, encodeAll, anomalyScores, type LatentFit, type ModelScores } from './node/latent-analysis.js';
export { fitAndSave, checkpointDirOf, type FitJob, type FitData, type FitAndSaveResult } from './node/pipeline.js';
export { fitStreamAndSave, streamFitterOf, type StreamFitJob, type StreamFitResult, type StreamFitter, type StreamFitOptions, type StreamFitOutcome } from './node/stream-pipeline.js';
export { maskedRowSource, testRowMask } from './node/stream-split.js';
export { reconstructionBySplit, type SplitReconstruction } from './node/stream-evaluate.js';
