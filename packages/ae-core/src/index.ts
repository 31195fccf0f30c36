export { setupBackend, backendInfo, preferSharedWasmHeap, BACKEND_NAMES, type BackendName, type BackendSetupOptions } from './backend.js';
export { learningRateAt, LR_SCHEDULES, type LrSchedule } from './schedule.js';
export {
  trainingOptions,
  trainingOptionsWithDefaults,
  trainingOptionsFrom,
  HIDDEN_ACTIVATIONS,
  assertLatentDim,
  type TrainingOptions,
  type TrainingOptionsInput,
} from './options.js';
export { fans, initialValues, type InitKind } from './init.js';
export { ParamStore, INFERENCE, type ParamSpec, type Params, type Architecture, type ForwardContext, type WeightValues } from './network.js';
export { activate, initFor, dense, denseSpecs, ACTIVATIONS, type ActivationName } from './layers.js';
export {
  trainModel,
  trainOnData,
  splitGenerator,
  evaluateLoss,
  type TrainableModel,
  type TrainSettings,
  type TrainHooks,
  type TrainResult,
  type TrainingRetry,
  type TrainingBatch,
  type TrainingData,
} from './train.js';
export {
  trivialErrors,
  epochFailure,
  retrySeed,
  DEFAULT_RECOVERY,
  type RecoverySettings,
  type TrainingFailure,
  type TrivialErrors,
} from './collapse.js';
export { meanLogits, applyDataInit, type DataInitParamSpec } from './data-init.js';
export { weightsToBlobs, weightsFromBundle } from './weights.js';
export { epochOrder } from './epoch-order.js';
export { isFiniteWeights, type TrainState } from './train-state.js';
export { captureAdamState, restoreAdamState, isFiniteAdamState, type AdamState } from './optimizer-state.js';
export {
  checkpointToBundle,
  trainStateFromBundle,
  checkpointInfoOf,
  modelPartOf,
  CHECKPOINT_BLOB_PREFIX,
  CHECKPOINT_FORMAT_VERSION,
  type CheckpointIdentity,
  type CheckpointInfo,
} from './checkpoint.js';
export { assertResumable, dataFingerprint } from './resume.js';
export { READABLE_SPEC_VERSIONS } from './spec-versions.js';
export { mapTensorBatches, INFERENCE_BATCH_SIZE } from './batched.js';
export {
  AutoencoderReducer,
  reconstructionModel,
  trainingObjective,
  type AutoencoderDefinition,
  type AutoencoderOptionsSchema,
  type AutoencoderSettings,
  type AutoencoderState,
  type ArchitectureContext,
} from './reducer.js';
export { fitAutoencoder, type FittedAutoencoder } from './autoencoder-fit.js';
export { loadAutoencoder, type LoadAutoencoderOptions } from './autoencoder-load.js';
export { PARALLEL_INFERENCE_MIN_ROWS, type InferenceReport } from './parallel/inference-threads.js';
export { usefulWorkers, MIN_SHARD_FLOPS_PER_WEIGHT } from './parallel/useful-workers.js';
export { defineAutoencoderPlugin, type AutoencoderPlugin } from './plugin.js';
export { fitAutoencoderStream, type StreamTuning } from './stream/fit-stream.js';
export { STREAM_SHUFFLE_ROWS, STREAM_VALIDATION_ROWS, STREAM_INIT_ROWS, STREAM_READ_ROWS } from './stream/stream-data.js';
export { mixSeed } from './step-seed.js';
export {
  parseCorruption,
  formatCorruption,
  assertCorruptionFits,
  corruptOption,
  CORRUPTION_FORMS,
  type Corruption,
} from './corruption-spec.js';
export { corruptRows, type CorruptOptions } from './corruption.js';
export { corruptBatch } from './corruption-tf.js';
export { FusedAdam, ADAM_BETA1, ADAM_BETA2 } from './fused-adam.js';
export { meanSquaredError } from './mean-squared-error.js';
export type { ReplicaSource } from './parallel/replica.js';
export * from './export/index.js';
export { registerReplicaPoolOpener, type ApplyWork, type ReplicaPool, type ReplicaPoolOpener } from './parallel/pools.js';
export type { ReplicaInit } from './parallel/replica.js';
export { definitionFrom, type ReplicaRuntime } from './parallel/replica-host.js';
export {
  browserReplicaPoolOpener,
  useBrowserTrainingWorkers,
  serveBrowserReplica,
  BROWSER_REPLICA_READY_MS,
  type BrowserReplicaInit,
  type WebWorkerLike,
  type WorkerScopeLike,
} from './browser-workers.js';
