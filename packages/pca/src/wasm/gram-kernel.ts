import { GRAM_WASM_BASE64 } from './gram-bytes.js';

/** The exports of gram.wat (see its comments for each function's contract). */
export interface GramKernel {
  readonly memory: WebAssembly.Memory;
  gramI16(block: number, dp: number, width: number, acc: number): void;
  gramF64(block: number, dp: number, width: number, acc: number): void;
  /** Returns 1 when every value was 8-bit at `scale`, else 0 (the block is then meaningless). */
  packI16(src: number, cols: number, count: number, width: number, scale: number, dst: number, sums: number): number;
  packF64(src: number, cols: number, count: number, width: number, mean: number, dst: number): void;
  scoresF64(src: number, cols: number, count: number, compT: number, kp: number, out: number): void;
  scoresF32(src: number, cols: number, count: number, compT: number, kp: number, out: number): void;
  rowNormsF32(src: number, cols: number, count: number, out: number): void;
  rowsTimesF64(src: number, cols: number, count: number, m: number, kp: number, out: number): void;
  byteScaledPrefix(src: number, count: number, scale: number): number;
}

let kernel: GramKernel | undefined;

/** wasm32 memory cannot grow past 4 GiB (65,536 pages). */
export const MAX_KERNEL_BYTES = 2 ** 32;
/** Kernel memory kept between jobs; more is given back after a job, since WebAssembly memory never shrinks. */
const KEPT_KERNEL_BYTES = 64 * 2 ** 20;

/**
 * The SIMD Gram kernel, instantiated once per thread. The module is about 1 KB, so synchronous
 * compilation is allowed even on a browser's main thread (the limit there is 4 KB).
 */
export function gramKernel(): GramKernel {
  kernel ??= new WebAssembly.Instance(new WebAssembly.Module(decodeBase64(GRAM_WASM_BASE64))).exports as unknown as GramKernel;
  return kernel;
}

/**
 * Drops this thread's kernel when its memory grew past what is worth keeping, so the garbage collector can
 * reclaim it; the next job instantiates a fresh one. Call only when no view into its memory is in use.
 */
export function releaseLargeKernelMemory(): void {
  if (kernel && kernel.memory.buffer.byteLength > KEPT_KERNEL_BYTES) kernel = undefined;
}

/** Ensures the kernel's memory holds at least `bytes`. */
export function reserveKernelMemory(k: GramKernel, bytes: number): void {
  const missing = bytes - k.memory.buffer.byteLength;
  if (missing > 0) k.memory.grow(Math.ceil(missing / 65536));
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
