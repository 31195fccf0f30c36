import { ADAM_WASM_BASE64 } from './adam-bytes.js';

/** The export of adam.wat: one in-place Adam step over n float32 values (see its comments). */
export interface AdamKernel {
  readonly memory: WebAssembly.Memory;
  adam(w: number, g: number, m: number, v: number, n: number, b1: number, b2: number, c1: number, c2: number, step: number, r: number, eps: number): void;
}

let compiled: WebAssembly.Module | null | undefined;

/**
 * A fresh instance of the SIMD Adam kernel (its own memory), or undefined where WebAssembly SIMD is
 * missing. The module is 410 bytes, so synchronous compilation is fine even on a browser's main thread.
 */
export function adamKernel(): AdamKernel | undefined {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(decodeBase64(ADAM_WASM_BASE64));
    } catch {
      compiled = null;
    }
  }
  return compiled ? (new WebAssembly.Instance(compiled).exports as unknown as AdamKernel) : undefined;
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
