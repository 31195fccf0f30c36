// Node-only helpers. Node needs no wasm set-up: tfjs-backend-wasm's Node build reads its .wasm files
// from its own folder. This entry only helps apps that bundle the backend and must point it back there.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startGemmTeam } from '@latentkit/tfjs-wasm-train/node';
import { registerGemmTeamStarter, registerReplicaPoolOpener } from './parallel/pools.js';
import { preferSharedWasmHeap } from './backend.js';
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
 * Lets autoencoder fits train data-parallel on worker threads (FitOptions.workers > 1). Where a step is too
 * little work to split (usefulWorkers), the fit trains on one thread and a helper thread takes half of each
 * large matrix product instead (same results as one thread); called before the wasm backend starts, this also
 * starts it on a shared heap so the helper works on the tensors in place. The main entry stays browser-safe, so
 * Node apps opt in here once, at start-up, as the CLI does.
 */
export function useTrainingWorkers(): void {
  registerReplicaPoolOpener(openReplicaPool);
  registerGemmTeamStarter((backend) => startGemmTeam({ backend }));
  preferSharedWasmHeap();
}
