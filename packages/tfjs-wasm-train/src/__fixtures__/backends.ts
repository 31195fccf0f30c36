// Test helpers: run the same computation on the wasm and cpu backends and compare the numbers.
import * as tf from '@tensorflow/tfjs';

let wasmLoaded = false;

/** Loads the wasm backend once per test file (Node 20 ESM needs no setWasmPaths). */
export async function loadWasm(): Promise<void> {
  if (!wasmLoaded) {
    await import('@tensorflow/tfjs-backend-wasm');
    wasmLoaded = true;
  }
  await useBackend('wasm');
}

export async function useBackend(name: 'wasm' | 'cpu'): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok || tf.getBackend() !== name) throw new Error(`could not switch to backend ${name}`);
  await tf.ready();
}

/** Runs `build` on `backend` and returns every output tensor's values as plain arrays. */
export async function valuesOn(backend: 'wasm' | 'cpu', build: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  await useBackend(backend);
  const out = tf.tidy(build);
  const list = Array.isArray(out) ? out : [out];
  const values = list.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(list);
  return values;
}

/** Deterministic uniform(-1, 1) values (mulberry32), independent of tfjs's own RNG. */
export function seededValues(count: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

/** Largest |a - b| divided by max(1, largest |b|): a scale-aware error that is absolute for O(1) values. */
export function relativeMaxError(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return Number.isNaN(diff) ? Infinity : diff / scale;
}
