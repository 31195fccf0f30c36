import { backend_util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { allocF32, freeAll, heapF32 } from '../wasm-backend.js';
import type { WasmBackendLike } from '../wasm-backend.js';
import { gemmKernelsFor } from './gemm-module.js';

interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

const product = (dims: readonly number[]) => dims.reduce((p, d) => p * d, 1);

/** Columns (N) above which a transposed A is multiplied in slices of TRANSPOSED_A_ROWS rows. */
const MANY_COLUMNS = 64;
const TRANSPOSED_A_ROWS = 8;

/** The batched product's sizes, or undefined for what the GEMM does not take (the original kernel then runs). */
function planOf(a: TensorInfo, b: TensorInfo, { transposeA, transposeB }: MatMulAttrs) {
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return undefined;
  const ra = a.shape.length;
  const rb = b.shape.length;
  const [m, k] = transposeA ? [a.shape[ra - 1]!, a.shape[ra - 2]!] : [a.shape[ra - 2]!, a.shape[ra - 1]!];
  const [kb, n] = transposeB ? [b.shape[rb - 1]!, b.shape[rb - 2]!] : [b.shape[rb - 2]!, b.shape[rb - 1]!];
  if (k !== kb) return undefined; // the original kernel says what is wrong
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const batchA = product(outerA);
  const batchB = product(outerB);
  // Equal batches or one side shared by all: what the loop below indexes. Other broadcasts go to the original.
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) return undefined;
  let outer: number[];
  try {
    outer = backend_util.assertAndGetBroadcastShape(outerA, outerB);
  } catch {
    return undefined;
  }
  const batch = Math.max(batchA, batchB);
  if (product(outer) !== batch) return undefined;
  return { m, k, n, batchA, batchB, batch, outShape: [...outer, m, n] };
}

/**
 * Wraps a BatchMatMul kernel so float32 products run on this package's register-blocked SIMD GEMM, in place
 * on the wasm heap: B is packed into 8-column panels (a transposed B costs only that packing) and A is read
 * through strides (a transposed A costs nothing). Anything else — other dtypes, broadcasts the loop does
 * not index, a backend whose heap is not reachable — runs `fallback`.
 */
export function withGemm(fallback: KernelConfig): KernelConfig {
  const fallbackFunc = fallback.kernelFunc;
  const kernelFunc = (args: Parameters<KernelFunc>[0]) => {
    const { inputs, backend, attrs } = args;
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    const transposes = attrs as unknown as MatMulAttrs;
    const plan = planOf(a, b, transposes);
    const kernels = plan && gemmKernelsFor(backend);
    if (!plan || !kernels) return fallbackFunc(args);
    const wasm = backend as unknown as WasmBackendLike;
    const { m, k, n, batchA, batchB, batch, outShape } = plan;
    const out = allocF32(wasm, outShape);
    if (m * n === 0) return out;
    if (k === 0) {
      heapF32(wasm, out).fill(0);
      return out;
    }
    const panelFloats = Math.ceil(n / 8) * 8 * k;
    const packed = allocF32(wasm, [batchB * panelFloats]);
    try {
      // Byte addresses, taken after every allocation (growing the heap moves views, never addresses).
      const at = (t: TensorInfo) => heapF32(wasm, t).byteOffset;
      const [pa, pb, pc, pp] = [at(a), at(b), at(out), at(packed)];
      const [bStrideK, bStrideN] = transposes.transposeB ? [4, 4 * k] : [4 * n, 4];
      for (let t = 0; t < batchB; t++) kernels.pack(pb + t * 4 * k * n, bStrideK, bStrideN, k, n, pp + t * 4 * panelFloats);
      const [aStrideI, aStrideK] = transposes.transposeA ? [4, 4 * m] : [4 * k, 4];
      for (let t = 0; t < batch; t++) {
        const aAt = pa + (batchA === 1 ? 0 : t) * 4 * m * k;
        const panelAt = pp + (batchB === 1 ? 0 : t) * 4 * panelFloats;
        const cAt = pc + t * 4 * m * n;
        // A transposed: a 4-row block reads one new cache line per k, and the GEMM sweeps all of A once per
        // 8-column panel. With many panels, 8-row slices keep their lines in L1 across the panels instead
        // (dense-ae's weight gradient, 784×128 · 128×256: 25 → 30 GFLOP/s).
        const rowsPerCall = transposes.transposeA && n > MANY_COLUMNS ? TRANSPOSED_A_ROWS : m;
        for (let i = 0; i < m; i += rowsPerCall) {
          kernels.gemm(aAt + i * aStrideI, aStrideI, aStrideK, panelAt, cAt + 4 * i * n, n, Math.min(rowsPerCall, m - i), k, n, 0);
        }
      }
    } finally {
      freeAll(wasm, [packed]);
    }
    return out;
  };
  return { ...fallback, kernelFunc: kernelFunc as KernelFunc };
}
