import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels, withSharedWasmHeap } from '@latentkit/tfjs-wasm-train';
import { LatentkitError } from '@latentkit/core';

/** The tfjs backends latentkit trains on: wasm (default, fast) or the pure-JS cpu backend (explicit opt-in). */
export type BackendName = 'wasm' | 'cpu';
export const BACKEND_NAMES: readonly BackendName[] = ['wasm', 'cpu'];

export interface BackendSetupOptions {
  /**
   * Where the browser finds the tfjs-backend-wasm .wasm files (a URL prefix ending in "/", or a map
   * from file name to URL). Bundled browser apps usually need it; Node finds the files by itself.
   */
  readonly wasmPaths?: string | Record<string, string>;
}

let queue: Promise<unknown> = Promise.resolve();
const initialised = new Set<BackendName>();
let trainingKernels: readonly string[] = [];
let wasmPathsSet = false;
let sharedHeap = false;

/**
 * Starts the wasm backend (when it has not started yet) on a shared heap, so that a GEMM team's helper thread
 * multiplies tensors in place ('@latentkit/ae-core/node' asks for it in useTrainingWorkers). The backend runs
 * the same either way; a backend already started keeps its private heap and the team copies instead.
 */
export function preferSharedWasmHeap(on = true): void {
  sharedHeap = on;
}

/**
 * Makes `name` the active tfjs backend and returns it. Idempotent and safe to call concurrently.
 * For wasm it also registers the training kernels (conv gradients, fast batched matmul) that stock
 * tfjs lacks. Never falls back: a backend that cannot start throws E_BACKEND.
 */
export function setupBackend(name: BackendName = 'wasm', options: BackendSetupOptions = {}): Promise<BackendName> {
  if (!BACKEND_NAMES.includes(name)) {
    return Promise.reject(new LatentkitError('E_OPTION', `unknown backend "${String(name)}" (choose ${BACKEND_NAMES.join(' or ')})`));
  }
  const next = queue.then(() => activate(name, options));
  // Keep the queue alive after a failure so a later call can still try again.
  queue = next.catch(() => undefined);
  return next;
}

async function activate(name: BackendName, options: BackendSetupOptions): Promise<BackendName> {
  if (initialised.has(name) && tf.getBackend() === name) return name;
  if (name === 'wasm' && options.wasmPaths !== undefined && !wasmPathsSet) {
    setWasmPaths(options.wasmPaths);
    wasmPathsSet = true;
  }
  let ok = false;
  let cause: unknown;
  try {
    const start = () => tf.setBackend(name);
    ok = name === 'wasm' && sharedHeap && !initialised.has('wasm') ? await withSharedWasmHeap(start) : await start();
  } catch (e) {
    cause = e;
  }
  if (!ok || tf.getBackend() !== name) {
    const why = cause instanceof Error ? cause.message : 'tf.setBackend returned false';
    const hint = name === 'wasm' ? "; pass backend: 'cpu' to train on the slower pure-JS backend instead" : '';
    throw new LatentkitError('E_BACKEND', `the ${name} backend could not start (${why})${hint}`, { cause });
  }
  if (name === 'wasm' && !initialised.has('wasm')) trainingKernels = registerTrainingKernels();
  initialised.add(name);
  return name;
}

function registerTrainingKernels(): readonly string[] {
  try {
    return registerWasmTrainingKernels().registered;
  } catch (e) {
    throw new LatentkitError('E_BACKEND', `registering the wasm training kernels failed (${(e as Error).message})`, { cause: e });
  }
}

/** The active backend and the extra wasm training kernels registered so far (for diagnostics and benches). */
export function backendInfo(): { backend: string; trainingKernels: readonly string[] } {
  return { backend: tf.getBackend(), trainingKernels };
}
