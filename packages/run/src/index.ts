// @latentkit/run, browser-safe part: the run-folder format (types, version, manifest parsing) and its reader
// over any file source. The writer and the fit pipeline are in '@latentkit/run/node'.
export {
  RUN_FORMAT,
  RUN_FORMAT_VERSION,
  RUN_MANIFEST_FILE,
  RUN_IDS_FILE,
  parseRunManifest,
  type RunManifest,
  type RunModel,
  type FitMetrics,
  type ReconstructionStatus,
} from './format.js';
export {
  loadRun,
  pointCode,
  labelName,
  type RunFileReader,
  type LoadRunOptions,
  type RunData,
  type RunModelData,
  type RunScores,
  type LatentFile,
  type ModelMetrics,
} from './reader.js';
export { fetchRunReader } from './fetch-reader.js';
