import { GEMM_RELAXED_PLAIN_BASE64, GEMM_RELAXED_SHARED_BASE64, GEMM_SIMD_PLAIN_BASE64, GEMM_SIMD_SHARED_BASE64 } from './gemm-bytes.js';

/** The exports of gemm-wat.mjs's module: byte addresses into the wasm backend's heap, strides in bytes. */
export interface GemmKernels {
  /**
   * C[i, j] = Σ_k A(i, k)·P(k, j) (added to C's values when `accumulate` is 1); A(i, k) at a + i·sI + k·sK;
   * P packed by `pack`; C row-major, ldc floats a row.
   */
  gemm(a: number, sI: number, sK: number, packed: number, c: number, ldc: number, m: number, k: number, n: number, accumulate: 0 | 1): void;
  /**
   * Σ over taps t of the gemm above, A shifted by the i32 byte offset at offs + 4t and P of tap t at
   * packed + t·tapBytes: a convolution's taps in one pass, the accumulators never leaving registers.
   */
  gemmTaps(a: number, sI: number, sK: number, offs: number, taps: number, packed: number, tapBytes: number, c: number, ldc: number, m: number, k: number, n: number, accumulate: 0 | 1): void;
  /** Column totals of a rows × cols f32 matrix (cols a multiple of 4) as cols f64 at dst: f32 over 256-row blocks, f64 across them. */
  columnSum(x: number, rows: number, cols: number, dst: number): void;
  /** Packs B(k, n) (at b + k·sK + n·sN) into panels of 8 columns, zero-padded: ⌈N/8⌉·8·K floats at dst. */
  pack(b: number, sK: number, sN: number, k: number, n: number, dst: number): void;
}

/** Which arithmetic the kernels use: relaxed SIMD's fused multiply-add, or SIMD multiply then add. */
export type GemmArithmetic = 'relaxed-fma' | 'simd';

/** The slice of tfjs-backend-wasm's BackendWasm that holds its WebAssembly.Memory (emscripten's `asm`). */
interface BackendWithMemory {
  wasm?: { asm?: { memory?: unknown }; wasmMemory?: unknown };
}

const compiled = new Map<string, WebAssembly.Module>();
const instances = new WeakMap<WebAssembly.Memory, GemmKernels | null>();
const arithmetics = new WeakMap<GemmKernels, GemmArithmetic>();

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The compiled GEMM module of one arithmetic, for a plain or a shared memory; null where the engine rejects it. */
export function moduleFor(arithmetic: GemmArithmetic, shared: boolean): WebAssembly.Module | null {
  const key = `${arithmetic}/${shared}`;
  const known = compiled.get(key);
  if (known) return known;
  const base64 = arithmetic === 'relaxed-fma' ? (shared ? GEMM_RELAXED_SHARED_BASE64 : GEMM_RELAXED_PLAIN_BASE64) : shared ? GEMM_SIMD_SHARED_BASE64 : GEMM_SIMD_PLAIN_BASE64;
  const bytes = decodeBase64(base64);
  // Engines without relaxed SIMD (Node 20 until enableRelaxedSimd()) reject that variant. A rejection is not
  // remembered: validating 2 KB again is cheap, and the engine may have been switched on since.
  if (!WebAssembly.validate(bytes)) return null;
  const module = new WebAssembly.Module(bytes);
  compiled.set(key, module);
  return module;
}

/** The arithmetic this engine runs the GEMM with: relaxed-fma where relaxed SIMD validates, else simd. */
export function gemmArithmetic(): GemmArithmetic {
  return moduleFor('relaxed-fma', false) ? 'relaxed-fma' : 'simd';
}

/** The backend's heap as a WebAssembly.Memory, or undefined for a build that does not expose it. */
export function backendMemory(backend: unknown): WebAssembly.Memory | undefined {
  const wasm = (backend as BackendWithMemory).wasm;
  const memory = wasm?.asm?.memory ?? wasm?.wasmMemory;
  return memory instanceof WebAssembly.Memory ? memory : undefined;
}

/**
 * GEMM kernels working in place on the wasm backend's heap (one instance per heap), or undefined where
 * that heap is not reachable or WebAssembly SIMD is missing: callers then use the backend's own matMul.
 */
export function gemmKernelsFor(backend: unknown): GemmKernels | undefined {
  const memory = backendMemory(backend);
  if (memory === undefined) return undefined;
  if (!instances.has(memory)) {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const relaxed = moduleFor('relaxed-fma', shared);
    const module = relaxed ?? moduleFor('simd', shared);
    let kernels: GemmKernels | null = null;
    try {
      if (module) kernels = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as GemmKernels;
      if (kernels) arithmetics.set(kernels, relaxed ? 'relaxed-fma' : 'simd');
    } catch {
      kernels = null;
    }
    instances.set(memory, kernels);
  }
  return instances.get(memory) ?? undefined;
}

/** The arithmetic a kernels instance from gemmKernelsFor runs: a backend keeps the variant it started with. */
export function arithmeticOf(kernels: GemmKernels): GemmArithmetic | undefined {
  return arithmetics.get(kernels);
}
