import { Conv2D } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { convGeometry } from './conv-geometry.js';
import type { ConvAttrsLike, ConvGeometry } from './conv-geometry.js';
import { gemmKernelsFor } from './gemm/gemm-module.js';
import { shiftedConv2d } from './gemm/shifted-conv2d.js';
import type { WasmBackendLike } from './wasm-backend.js';

/** Fewer input channels leave each tap's K too short for the GEMM to beat XNNPACK. */
const MIN_INPUT_CHANNELS = 8;

/**
 * Wraps the wasm Conv2D kernel so float32 NHWC convolutions with equal strides, no dilation and 8+ input
 * channels run as an implicit GEMM over all taps (shiftedConv2d); everything else runs the original kernel.
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
    if (g.strideH !== g.strideW || g.inC < MIN_INPUT_CHANNELS) return originalFunc(args);
    const kernels = gemmKernelsFor(backend);
    if (!kernels) return originalFunc(args);
    return shiftedConv2d(backend as unknown as WasmBackendLike, kernels, x, filter, g);
  };
  return { ...original, kernelName: Conv2D, kernelFunc: kernelFunc as KernelFunc };
}
