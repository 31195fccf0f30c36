import { Conv2DBackpropFilter } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { convGeometry, imagesPerChunk, patchSize } from './conv-geometry.js';
import type { ConvAttrsLike, ConvKernelOptions } from './conv-geometry.js';
import { im2colTransposed } from './im2col.js';
import { requireFloat32 } from './dtype.js';
import { allocF32, freeAll, heapF32 } from './wasm-backend.js';
import type { WasmBackendLike } from './wasm-backend.js';
import type { UntransposedMatMul } from './untransposed-mat-mul.js';
import { gemmKernelsFor } from './gemm/gemm-module.js';
import { shiftedFilterGradient } from './gemm/shifted-filter-gradient.js';
import { phasedFilterGradient } from './gemm/phased-filter-gradient.js';

interface FilterGradAttrs extends ConvAttrsLike {
  filterShape: [number, number, number, number];
}

/**
 * Convolutions with equal strides run shiftedFilterGradient (stride 1) or phasedFilterGradient on the GEMM where the backend's heap is reachable. Otherwise
 * dW = im2col(x)ᵀ · dy. The unfolded input is written already transposed (taps × pixels), so the
 * product runs on the backend's untransposed matMul with dy (pixels × outC, usually the smaller
 * operand) as the right-hand side, and its taps × outC result is the filter's memory layout.
 */
export function makeConv2DBackpropFilterConfig(
  matMul: UntransposedMatMul,
  options: ConvKernelOptions = {},
): KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: Parameters<KernelFunc>[0]): TensorInfo => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const a = attrs as unknown as FilterGradAttrs;
    const wasm = backend as unknown as WasmBackendLike;
    requireFloat32(Conv2DBackpropFilter, { x, dy });
    const g = convGeometry(Conv2DBackpropFilter, x.shape, a.filterShape, a);
    // Equal strides: shifted GEMMs, 2.5× the im2col path's speed at stride 1 (the 5×5 layers conv nets spend
    // their time in); at stride 2 and up the same on the input's phase planes.
    const kernels = g.strideH === g.strideW && options.gemm !== false ? gemmKernelsFor(backend) : undefined;
    if (kernels) {
      const out = g.strideH === 1 ? shiftedFilterGradient(wasm, kernels, x, dy, g) : phasedFilterGradient(wasm, kernels, x, dy, g);
      return { dataId: out.dataId, shape: [...a.filterShape], dtype: 'float32' };
    }
    const taps = patchSize(g);
    const pixels = g.outH * g.outW;
    const chunk = imagesPerChunk(g, options.maxIm2colFloats);
    let out: TensorInfo | undefined;
    for (let first = 0; first < g.batch; first += chunk) {
      const count = Math.min(chunk, g.batch - first);
      const rows = count * pixels;
      const temps: TensorInfo[] = [];
      const colsT = allocF32(wasm, [taps, rows]);
      temps.push(colsT);
      // The single-chunk case (the common one) reads dy in place; chunks need their own slice.
      let dyRows: TensorInfo = { dataId: dy.dataId, shape: [rows, g.outC], dtype: 'float32' };
      if (count < g.batch) {
        dyRows = allocF32(wasm, [rows, g.outC]);
        temps.push(dyRows);
        const offset = first * pixels * g.outC;
        heapF32(wasm, dyRows).set(heapF32(wasm, dy).subarray(offset, offset + rows * g.outC));
      }
      im2colTransposed(heapF32(wasm, x), heapF32(wasm, colsT), g, first, count);
      const product = matMul(wasm, colsT, dyRows);
      if (out === undefined) {
        out = product;
      } else {
        temps.push(product);
        const sum = heapF32(wasm, out);
        const partial = heapF32(wasm, product);
        for (let i = 0; i < sum.length; i++) sum[i] += partial[i];
      }
      freeAll(wasm, temps);
    }
    if (out === undefined) {
      // An empty batch contributes nothing.
      out = allocF32(wasm, [taps, g.outC]);
      heapF32(wasm, out).fill(0);
    }
    // taps × outC is exactly kH × kW × inC × outC in row-major order.
    return { dataId: out.dataId, shape: [...a.filterShape], dtype: 'float32' };
  };
  return { kernelName: Conv2DBackpropFilter, backendName: 'wasm', kernelFunc: kernelFunc as KernelFunc };
}
