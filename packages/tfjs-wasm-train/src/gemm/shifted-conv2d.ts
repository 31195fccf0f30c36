import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { ConvGeometry } from '../conv-geometry.js';
import { allocF32, heapF32 } from '../wasm-backend.js';
import type { WasmBackendLike } from '../wasm-backend.js';
import type { GemmKernels } from './gemm-module.js';
import { imageAt, scratchOn, shiftedLayout } from './shifted-layout.js';

/**
 * y = conv2d(x, W) for NHWC with equal strides s on the GEMM: an implicit GEMM with no im2col buffer. Output
 * row h of an image is one gemmTaps call over the filter's kH rows: output pixel w reads the kW·C consecutive
 * floats from input pixel s·w of padded row s·h + kh, i.e. A's rows lie s·C floats apart with K = kW·C, shifted
 * by kh·Wp·C per filter row, against that row's packed filter (kW·C × O, contiguous in W). All rows are summed in
 * registers and written straight into y's row. K = kW·C also keeps one-channel images efficient.
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
  const depth = kW * inC;
  const panelFloats = Math.ceil(outC / 8) * 8 * depth;
  const scratch = scratchOn(wasm);
  const image = layout.padded ? scratch.take(layout.hp * wp * inC) : undefined;
  const packed = scratch.take(kH * panelFloats);
  const offsets = scratch.take(kH);
  try {
    // Views and addresses after every allocation: growing the heap moves views, never addresses.
    const xs = heapF32(wasm, x);
    const imageView = image ? heapF32(wasm, image) : undefined;
    imageView?.fill(0);
    const [pFilter, pPacked, pY] = [filter, packed, y].map((t) => heapF32(wasm, t).byteOffset) as [number, number, number];
    const offsetView = heapF32(wasm, offsets);
    const offs = new Int32Array(offsetView.buffer, offsetView.byteOffset, kH);
    for (let kh = 0; kh < kH; kh++) offs[kh] = 4 * kh * wp * inC;
    // B for filter row kh is W[kh] seen as (kW·C) × O: B(kw·C + c, o) = filter[kh, kw, c, o].
    for (let kh = 0; kh < kH; kh++) kernels.pack(pFilter + 4 * kh * depth * outC, 4 * outC, 4, depth, outC, pPacked + 4 * kh * panelFloats);
    const rowBytes = 4 * stride * wp * inC;
    for (let n = 0; n < batch; n++) {
      const base = imageAt(xs, n, g, layout, imageView);
      for (let h = 0; h < outH; h++) {
        const yRow = pY + 4 * (n * outH + h) * outW * outC;
        kernels.gemmTaps(base + h * rowBytes, 4 * stride * inC, 4, offsetView.byteOffset, kH, pPacked, 4 * panelFloats, yRow, outC, outW, depth, outC, 0);
      }
    }
  } finally {
    scratch.free();
  }
  return y;
}
