import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { ConvGeometry } from '../conv-geometry.js';
import { allocF32, heapF32 } from '../wasm-backend.js';
import type { WasmBackendLike } from '../wasm-backend.js';
import type { GemmKernels } from './gemm-module.js';
import { imageAt, scratchOn, shiftedLayout } from './shifted-layout.js';

/**
 * y = conv2d(x, W) for NHWC with equal strides s on the GEMM: an implicit GEMM with no im2col buffer. Output
 * row h of an image is one gemmTaps call: its outW pixels read input pixels s·w + kw of padded row s·h + kh,
 * i.e. rows s·C floats apart shifted by (kh·Wp + kw)·C per tap, against each tap's packed filter (C × O), all
 * taps summed in registers and written straight into y's row.
 */
export function shiftedConv2d(wasm: WasmBackendLike, kernels: GemmKernels, x: TensorInfo, filter: TensorInfo, g: ConvGeometry): TensorInfo {
  const { batch, inC, outH, outW, outC, kH, kW, strideH: stride } = g;
  const y = allocF32(wasm, [batch, outH, outW, outC]);
  if (batch * outH * outW * outC === 0) return y;
  if (inC === 0) {
    heapF32(wasm, y).fill(0);
    return y;
  }
  const layout = shiftedLayout(g);
  const { wp } = layout;
  const taps = kH * kW;
  const panelFloats = Math.ceil(outC / 8) * 8 * inC;
  const scratch = scratchOn(wasm);
  const image = layout.padded ? scratch.take(layout.hp * wp * inC) : undefined;
  const packed = scratch.take(taps * panelFloats);
  const offsets = scratch.take(taps);
  try {
    // Views and addresses after every allocation: growing the heap moves views, never addresses.
    const xs = heapF32(wasm, x);
    const imageView = image ? heapF32(wasm, image) : undefined;
    imageView?.fill(0);
    const [pFilter, pPacked, pY] = [filter, packed, y].map((t) => heapF32(wasm, t).byteOffset) as [number, number, number];
    const offsetView = heapF32(wasm, offsets);
    const offs = new Int32Array(offsetView.buffer, offsetView.byteOffset, taps);
    for (let kh = 0; kh < kH; kh++) for (let kw = 0; kw < kW; kw++) offs[kh * kW + kw] = 4 * (kh * wp + kw) * inC;
    // B for tap t is W[kh, kw]: B(c, o) = filter[t, c, o].
    for (let t = 0; t < taps; t++) kernels.pack(pFilter + 4 * t * inC * outC, 4 * outC, 4, inC, outC, pPacked + 4 * t * panelFloats);
    const rowBytes = 4 * stride * wp * inC;
    for (let n = 0; n < batch; n++) {
      const base = imageAt(xs, n, g, layout, imageView);
      for (let h = 0; h < outH; h++) {
        const yRow = pY + 4 * (n * outH + h) * outW * outC;
        kernels.gemmTaps(base + h * rowBytes, 4 * stride * inC, 4, offsetView.byteOffset, taps, pPacked, 4 * panelFloats, yRow, outC, outW, inC, outC, 0);
      }
    }
  } finally {
    scratch.free();
  }
  return y;
}
