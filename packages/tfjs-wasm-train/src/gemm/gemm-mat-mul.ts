import { backend_util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { allocF32, freeAll, heapF32 } from '../wasm-backend.js';
import type { WasmBackendLike } from '../wasm-backend.js';
import { arithmeticOf, backendMemory, gemmKernelsFor } from './gemm-module.js';
import { gemmTeamFor, type Block } from './gemm-team.js';
import type { GemmKernels } from './gemm-module.js';
import { rowsPerGemmCall, stridesOf } from './product-layout.js';

interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

/** Only the two flags, whatever else a kernel's attrs hold. */
const transposesOf = ({ transposeA, transposeB }: MatMulAttrs): MatMulAttrs => ({ transposeA, transposeB });

const product = (dims: readonly number[]) => dims.reduce((p, d) => p * d, 1);

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
 * through strides (a transposed A costs nothing). A large single product is shared with the installed GEMM
 * team when there is one (gemmTeamFor: same results, two threads). Anything else — other dtypes, broadcasts
 * the loop does not index, a backend whose heap is not reachable — runs `fallback`.
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
    const panelFloats = (columns: number) => Math.ceil(columns / 8) * 8 * k;
    const at = (t: TensorInfo) => heapF32(wasm, t).byteOffset;
    // One large product: a GEMM team (started by '@latentkit/tfjs-wasm-train/node') may take part of it.
    const team = batch === 1 ? gemmTeamFor(m, k, n, arithmeticOf(kernels)) : undefined;
    const heap = team && backendMemory(backend);
    if (team && heap) {
      const shape = { m, k, n, ...transposesOf(transposes) };
      // Our packed panels, then the helper's (used when it works on this heap in place).
      const packed = allocF32(wasm, [2 * panelFloats(n)]);
      try {
        const product = { a: at(a), b: at(b), packed: at(packed), c: at(out), ...shape };
        const job = { heap, shape, a: product.a, b: product.b, c: product.c, scratch: product.packed + 4 * panelFloats(n) };
        if (team.multiply({ ...job, ours: (block: Block) => multiplyBlock(kernels, product, block) })) return out;
      } finally {
        freeAll(wasm, [packed]);
      }
    }
    const packed = allocF32(wasm, [batchB * panelFloats(n)]);
    try {
      // Byte addresses, taken after every allocation (growing the heap moves views, never addresses).
      const [pa, pb, pc, pp] = [at(a), at(b), at(out), at(packed)];
      const { sI: aStrideI, sK: aStrideK, bsK: bStrideK, bsN: bStrideN } = stridesOf({ m, k, n, ...transposesOf(transposes) });
      for (let t = 0; t < batchB; t++) kernels.pack(pb + t * 4 * k * n, bStrideK, bStrideN, k, n, pp + t * 4 * panelFloats(n));
      const rowsPerCall = rowsPerGemmCall(m, n, transposes.transposeA);
      for (let t = 0; t < batch; t++) {
        const aAt = pa + (batchA === 1 ? 0 : t) * 4 * m * k;
        const panelAt = pp + (batchB === 1 ? 0 : t) * 4 * panelFloats(n);
        const cAt = pc + t * 4 * m * n;
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

/** One product's byte addresses on the heap the kernels work on, and its shape. */
interface ProductAt extends MatMulAttrs {
  a: number;
  b: number;
  packed: number;
  c: number;
  m: number;
  k: number;
  n: number;
}

/** One block of C = op(A)·op(B): packs the block's columns of B at `packed`, then multiplies its rows. */
function multiplyBlock(kernels: GemmKernels, p: ProductAt, { rowFrom, rowTo, colFrom, colTo }: Block): void {
  const { sI, sK, bsK, bsN } = stridesOf(p);
  kernels.pack(p.b + colFrom * bsN, bsK, bsN, p.k, colTo - colFrom, p.packed);
  const rows = rowsPerGemmCall(p.m, p.n, p.transposeA);
  for (let i = rowFrom; i < rowTo; i += rows) {
    kernels.gemm(p.a + i * sI, sI, sK, p.packed, p.c + 4 * (i * p.n + colFrom), p.n, Math.min(rows, rowTo - i), p.k, colTo - colFrom, 0);
  }
}
