import { KNN_WASM_BASE64 } from './knn-bytes.js';

/** The exports of knn.wat (see its comments for the contract). */
export interface KnnKernel {
  readonly memory: WebAssembly.Memory;
  dotsF32(q: number, qCount: number, t: number, tCount: number, dp: number, out: number, outStride: number): void;
}

let kernel: KnnKernel | undefined;
/** What the kernel's memory holds at offset 0, so repeated searches of one training set skip the copy. */
let resident: { owner: object; start: number; rows: number } | undefined;

/**
 * The SIMD kernel, instantiated once per thread. The module is under 1 KB, so synchronous compilation is
 * allowed even on a browser's main thread (the limit there is 4 KB).
 */
export function knnKernel(): KnnKernel {
  kernel ??= new WebAssembly.Instance(new WebAssembly.Module(decodeBase64(KNN_WASM_BASE64))).exports as unknown as KnnKernel;
  return kernel;
}

/** Ensures the kernel's memory holds at least `bytes`. */
export function reserveKernelMemory(k: KnnKernel, bytes: number): void {
  const missing = bytes - k.memory.buffer.byteLength;
  if (missing > 0) k.memory.grow(Math.ceil(missing / 65536));
}

/** Whether rows start..start+rows of `owner` are already in kernel memory at offset 0. */
export function isResident(owner: object, start: number, rows: number): boolean {
  return resident !== undefined && resident.owner === owner && resident.start === start && resident.rows === rows;
}

export function markResident(owner: object | undefined, start = 0, rows = 0): void {
  resident = owner ? { owner, start, rows } : undefined;
}

/**
 * Drops the kernel (and its memory, which WebAssembly never shrinks) when it holds `owner`'s rows, so a
 * disposed model's copy can be collected; the next search instantiates a fresh one.
 */
export function releaseKernelFor(owner: object): void {
  if (resident?.owner !== owner) return;
  kernel = undefined;
  resident = undefined;
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
