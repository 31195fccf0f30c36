import { Sum, util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { allocF32, freeAll, heapF32 } from './wasm-backend.js';
import { gemmKernelsFor } from './gemm/gemm-module.js';
import type { WasmBackendLike } from './wasm-backend.js';

interface SumAttrs {
  axis: number | number[];
  keepDims: boolean;
}

/** Whether `axes` are exactly every axis but the last of a rank-`rank` tensor (in any order, no repeats). */
function leadingAxes(axes: readonly number[], rank: number): boolean {
  if (rank < 2 || axes.length !== rank - 1) return false;
  const seen = new Set(axes.map((a) => (a < 0 ? a + rank : a)));
  if (seen.size !== rank - 1) return false;
  for (let a = 0; a < rank - 1; a++) if (!seen.has(a)) return false;
  return true;
}

/**
 * Wraps the wasm Sum kernel so a float32 sum over every axis but the last — a bias's gradient, dy summed over
 * batch and pixels — runs as one pass over the rows into float64 column totals. The wasm kernel first
 * transposes the whole tensor to make the reduced axes innermost (≈9 ns per value). Anything else runs the
 * original kernel.
 */
export function withColumnSum(original: KernelConfig): KernelConfig {
  const originalFunc = original.kernelFunc;
  const kernelFunc = (args: Parameters<KernelFunc>[0]) => {
    const { inputs, backend, attrs } = args;
    const { x } = inputs as { x: TensorInfo };
    const { axis, keepDims } = attrs as unknown as SumAttrs;
    const rank = x.shape.length;
    const axes = util.parseAxisParam(axis, x.shape);
    if (x.dtype !== 'float32' || !leadingAxes(axes, rank)) return originalFunc(args);
    const wasm = backend as unknown as WasmBackendLike;
    const cols = x.shape[rank - 1]!;
    const outShape = keepDims ? [...x.shape.slice(0, -1).map(() => 1), cols] : [cols];
    const out = allocF32(wasm, outShape);
    const kernels = cols % 4 === 0 ? gemmKernelsFor(backend) : undefined;
    if (kernels && cols > 0) {
      // SIMD f32 sums over 256-row blocks, added up in f64: ≈0.4 ns per value against ≈3.5 in the loop below.
      const totals = allocF32(wasm, [2 * cols]);
      const values = heapF32(wasm, x);
      kernels.columnSum(values.byteOffset, values.length / cols, cols, heapF32(wasm, totals).byteOffset);
      const t = heapF32(wasm, totals);
      heapF32(wasm, out).set(new Float64Array(t.buffer, t.byteOffset, cols));
      freeAll(wasm, [totals]);
      return out;
    }
    const values = heapF32(wasm, x);
    const totals = new Float64Array(cols);
    for (let at = 0; cols > 0 && at < values.length; at += cols) {
      for (let c = 0; c < cols; c++) totals[c]! += values[at + c]!;
    }
    heapF32(wasm, out).set(totals);
    return out;
  };
  return { ...original, kernelName: Sum, kernelFunc: kernelFunc as KernelFunc };
}
