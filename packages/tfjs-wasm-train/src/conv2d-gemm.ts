import { Conv2D } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { convGeometry } from './conv-geometry.js';
import type { ConvAttrsLike, ConvGeometry } from './conv-geometry.js';
import { gemmKernelsFor } from './gemm/gemm-module.js';
import { shiftedConv2d } from './gemm/shifted-conv2d.js';
import type { WasmBackendLike } from './wasm-backend.js';

/** Filter rows shorter than this (kW·C floats) leave K too short for the GEMM to beat XNNPACK (a one-channel 5×5 conv, K = 5, runs 1.6× its speed). */
const MIN_ROW_DEPTH = 4;

/**
 * Wraps the wasm Conv2D kernel so float32 NHWC convolutions with equal strides, no dilation and filter rows
 * of 4+ floats (kW·C) run as an implicit GEMM (shiftedConv2d); everything else runs the original kernel.
 */
export function withShiftedConv2d(original: KernelConfig): KernelConfig {
  const originalFunc = original.kernelFunc;
  const kernelFunc = (args: Parameters<KernelFunc>[0]) => {
    const { inputs, backend, attrs } = args;
    const { x, filter } = inputs as { x: TensorInfo; filter: TensorInfo };
    if (x.dtype !== 'float32' || filter.dtype !== 'float32') return originalFunc(args);
    let g: ConvGeometry;
    try {
      g = convGeometry(Conv2D, x.shape, filter.shape, attrs as unknown as ConvAttrsLike);
    } catch {
      return originalFunc(args); // NCHW, dilation: the original kernel's own handling
    }
    if (g.strideH !== g.strideW || g.kW * g.inC < MIN_ROW_DEPTH) return originalFunc(args);
    const kernels = gemmKernelsFor(backend);
    if (!kernels) return originalFunc(args);
    return shiftedConv2d(backend as unknown as WasmBackendLike, kernels, x, filter, g);
  };
  return { ...original, kernelName: Conv2D, kernelFunc: kernelFunc as KernelFunc };
}
