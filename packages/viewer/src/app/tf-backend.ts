import { setupBackend } from '@latentkit/ae-core';
// Vite copies the .wasm binaries into the build and gives their URLs; tfjs would otherwise look for
// them next to the script, where a bundler does not put them.
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

/** tfjs-backend-wasm file name → served URL, for setWasmPaths (through ae-core's setupBackend). */
export const WASM_PATHS: Readonly<Record<string, string>> = {
  'tfjs-backend-wasm.wasm': wasmUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
};

let ready: Promise<unknown> | undefined;

/**
 * Starts tfjs on the wasm backend with the bundled binaries (and, via ae-core, the training kernels).
 * Must run before any autoencoder loads: ae-core only passes wasm paths on to tfjs the first time.
 */
export function prepareWasmBackend(): Promise<unknown> {
  ready ??= setupBackend('wasm', { wasmPaths: { ...WASM_PATHS } });
  return ready;
}
