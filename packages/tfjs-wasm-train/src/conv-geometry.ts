import { backend_util } from '@tensorflow/tfjs-core';
import { WasmTrainingKernelError } from './errors.js';

/** Everything the im2col / col2im loops need about one NHWC conv2d, dilation 1. */
export interface ConvGeometry {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  outC: number;
  kH: number;
  kW: number;
  strideH: number;
  strideW: number;
  padTop: number;
  padLeft: number;
}

type Pad = 'valid' | 'same' | number | backend_util.ExplicitPadding;
type RoundingMode = 'floor' | 'round' | 'ceil' | undefined;

export interface ConvAttrsLike {
  strides: [number, number] | number;
  pad: Pad;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: RoundingMode;
  dilations?: [number, number] | number;
}

/**
 * Resolves a conv's geometry with tfjs's own shape logic (so padding, explicit pads and rounding
 * agree exactly with the forward op) and rejects what the fast kernels do not implement.
 */
export function convGeometry(
  kernelName: string,
  inShape: readonly number[],
  filterShape: readonly number[],
  attrs: ConvAttrsLike,
): ConvGeometry {
  if (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC') {
    throw new WasmTrainingKernelError(
      `${kernelName} (wasm training kernels): dataFormat '${attrs.dataFormat}' is not supported, use NHWC`,
    );
  }
  const dilations = attrs.dilations ?? 1;
  const [dh, dw] = typeof dilations === 'number' ? [dilations, dilations] : dilations;
  if (dh !== 1 || dw !== 1) {
    throw new WasmTrainingKernelError(
      `${kernelName} (wasm training kernels): dilations [${dh}, ${dw}] are not supported, only 1`,
    );
  }
  if (inShape.length !== 4 || filterShape.length !== 4) {
    throw new WasmTrainingKernelError(
      `${kernelName} (wasm training kernels): expected rank-4 input and filter, got shapes [${inShape}] and [${filterShape}]`,
    );
  }
  const info = backend_util.computeConv2DInfo(
    inShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  return {
    batch: info.batchSize,
    inH: info.inHeight,
    inW: info.inWidth,
    inC: info.inChannels,
    outH: info.outHeight,
    outW: info.outWidth,
    outC: info.outChannels,
    kH: info.filterHeight,
    kW: info.filterWidth,
    strideH: info.strideHeight,
    strideW: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/** Number of im2col columns: one per filter tap and input channel. */
export function patchSize(g: ConvGeometry): number {
  return g.kH * g.kW * g.inC;
}

/**
 * Default upper bound on floats in one im2col buffer (32 MiB); bigger batches are processed in
 * chunks of whole images so peak wasm heap stays bounded.
 */
export const DEFAULT_MAX_IM2COL_FLOATS = 1 << 23;

/** How many images fit in one im2col chunk of at most `maxFloats` (always at least one). */
export function imagesPerChunk(g: ConvGeometry, maxFloats: number = DEFAULT_MAX_IM2COL_FLOATS): number {
  const perImage = g.outH * g.outW * patchSize(g);
  return Math.max(1, Math.min(g.batch, Math.floor(maxFloats / Math.max(1, perImage))));
}

/** Options shared by the conv kernel factories. */
export interface ConvKernelOptions {
  /** Cap on one im2col buffer (and on a shifted GEMM pass's scratch), in floats; default 2^23 (32 MiB). Lower trades speed for heap. */
  maxIm2colFloats?: number;
  /** Conv2DBackpropFilter and Conv2DBackpropInput: use the GEMM for equal strides where it can (default true). */
  gemm?: boolean;
}
