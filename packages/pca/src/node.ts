// Node-only entry point (@latentkit/pca/node): worker-thread covariance for multi-core machines.
export { createWorkerCovarianceEngine, useWorkerThreads, type WorkerCovarianceEngine } from './node/worker-engine.js';
