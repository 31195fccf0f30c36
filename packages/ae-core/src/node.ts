// Node-only helpers. Node needs no wasm set-up: tfjs-backend-wasm's Node build reads its .wasm files
// from its own folder. This entry only helps apps that bundle the backend and must point it back there.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { registerReplicaPoolOpener } from './parallel/pools.js';
import { openReplicaPool } from './node/pool.js';

/** The folder (with a trailing separator) holding tfjs-backend-wasm's .wasm files, for setupBackend's wasmPaths. */
export function wasmAssetDirectory(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/');
}

/** The same folder as a file: URL prefix. */
export function wasmAssetUrl(): string {
  return pathToFileURL(wasmAssetDirectory()).href.replace(/\/?$/, '/');
}

/**
 * Lets autoencoder fits train data-parallel on worker threads (FitOptions.workers > 1). The main entry stays
 * browser-safe, so Node apps opt in here once, as the CLI does.
 */
export function useTrainingWorkers(): void {
  registerReplicaPoolOpener(openReplicaPool);
}
