import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { transposeBatched } from './transpose.js';
import { allocF32, freeAll, heapF32 } from './wasm-backend.js';
import type { WasmBackendLike } from './wasm-backend.js';

interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

/** Copies `t` with its last two axes swapped into a new heap tensor. */
function transposeLastTwo(backend: WasmBackendLike, t: TensorInfo): TensorInfo {
  const rank = t.shape.length;
  const rows = t.shape[rank - 2];
  const cols = t.shape[rank - 1];
  const batch = rows * cols === 0 ? 0 : t.shape.slice(0, -2).reduce((p, d) => p * d, 1);
  const out = allocF32(backend, [...t.shape.slice(0, -2), cols, rows]);
  transposeBatched(heapF32(backend, t), heapF32(backend, out), batch, rows, cols);
  return out;
}

/**
 * Wraps a wasm matMul-like kernel (BatchMatMul, _FusedMatMul) so transposed operands are first
 * copied into transposed memory and the original kernel always runs its fast untransposed path.
 * The copy is O(m·k) against the product's O(m·k·n), and the transposed path is ~10× slower.
 */
export function withExplicitTranspose(original: KernelConfig): KernelConfig {
  const originalFunc = original.kernelFunc;
  const kernelFunc = (args: Parameters<KernelFunc>[0]) => {
    const { inputs, backend, attrs } = args;
    const { transposeA, transposeB } = attrs as unknown as MatMulAttrs;
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    const usable = a.dtype === 'float32' && b.dtype === 'float32' && a.shape.length >= 2 && b.shape.length >= 2;
    if ((!transposeA && !transposeB) || !usable) return originalFunc(args);
    const wasm = backend as unknown as WasmBackendLike;
    const temps: TensorInfo[] = [];
    const aPlain = transposeA ? transposeLastTwo(wasm, a) : a;
    const bPlain = transposeB ? transposeLastTwo(wasm, b) : b;
    if (transposeA) temps.push(aPlain);
    if (transposeB) temps.push(bPlain);
    try {
      return originalFunc({
        ...args,
        inputs: { ...inputs, a: aPlain, b: bPlain },
        attrs: { ...attrs, transposeA: false, transposeB: false },
      });
    } finally {
      freeAll(wasm, temps);
    }
  };
  return { ...original, kernelFunc: kernelFunc as KernelFunc };
}
