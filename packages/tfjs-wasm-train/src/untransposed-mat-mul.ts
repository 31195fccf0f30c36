import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './wasm-backend.js';

/** `a[..., m, k] · b[..., k, n]` on the wasm backend's fast, untransposed matMul path. */
export type UntransposedMatMul = (backend: WasmBackendLike, a: TensorInfo, b: TensorInfo) => TensorInfo;

/** Wraps the wasm backend's own BatchMatMul kernel function, always with both transpose flags off. */
export function untransposedMatMulFrom(batchMatMul: KernelFunc): UntransposedMatMul {
  return (backend, a, b) =>
    batchMatMul({
      inputs: { a, b },
      backend: backend as never,
      attrs: { transposeA: false, transposeB: false },
    }) as TensorInfo;
}
