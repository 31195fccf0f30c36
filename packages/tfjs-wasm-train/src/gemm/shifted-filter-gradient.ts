import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { ConvGeometry } from '../conv-geometry.js';
import { allocF32, heapF32 } from '../wasm-backend.js';
import type { WasmBackendLike } from '../wasm-backend.js';
import type { GemmKernels } from './gemm-module.js';
import { imageAt, scratchOn, shiftedLayout, widenRows } from './shifted-layout.js';

/**
 * dW of an NHWC convolution with equal strides s on the GEMM, with no im2col buffer. Number the output pixels
 * p = h·Wp + w over the padded input's width Wp; output pixel (h, w) reads input pixel (s·h + kh, s·w + kw) at
 * s·p + kh·Wp + kw, so for every tap
 *   dW[kh, kw] (C × O) += Xᵀ · D,  X(p, c) = x[s·p + kh·Wp + kw, c] (rows s·C floats apart),  D(p, o) = dy[h, w, o]
 * where D is dy widened to Wp columns with zeros at w ≥ outW: those rows read pixels that wrapped into the next
 * row and add nothing. Stopping at p = (outH−1)·Wp + outW keeps every read inside the image. Per image: one
 * packing of D, then one GEMM per tap (M = C, K ≈ outH·Wp, N = O) accumulating into the filter's own layout.
 * At stride s about 1/s of D's rows are zeros, still faster than the im2col path at s = 2.
 */
export function shiftedFilterGradient(wasm: WasmBackendLike, kernels: GemmKernels, x: TensorInfo, dy: TensorInfo, g: ConvGeometry): TensorInfo {
  const { batch, inC, outH, outW, outC, kH, kW, strideH: stride } = g;
  const out = allocF32(wasm, [kH, kW, inC, outC]);
  if (batch === 0 || outH === 0 || outW === 0 || inC === 0 || outC === 0) {
    heapF32(wasm, out).fill(0);
    return out;
  }
  // The padded image the valid correlation runs on: x itself when the conv has no padding.
  const layout = shiftedLayout(g);
  const { wp, rows: k } = layout;
  const scratch = scratchOn(wasm);
  const image = layout.padded ? scratch.take(layout.hp * wp * inC) : undefined;
  const wide = scratch.take(k * outC);
  const packed = scratch.take(Math.ceil(outC / 8) * 8 * k);
  try {
    // Views and addresses after every allocation: growing the heap moves views, never addresses.
    const xs = heapF32(wasm, x);
    const dys = heapF32(wasm, dy);
    const wideView = heapF32(wasm, wide);
    wideView.fill(0);
    const imageView = image ? heapF32(wasm, image) : undefined;
    imageView?.fill(0);
    const [pOut, pWide, pPacked] = [out, wide, packed].map((t) => heapF32(wasm, t).byteOffset) as [number, number, number];
    const tapBytes = 4 * inC * outC;
    for (let n = 0; n < batch; n++) {
      const base = imageAt(xs, n, g, layout, imageView);
      widenRows(dys, n, g, layout, wideView);
      kernels.pack(pWide, 4 * outC, 4, k, outC, pPacked);
      for (let kh = 0; kh < kH; kh++) {
        for (let kw = 0; kw < kW; kw++) {
          const tap = kh * kW + kw;
          kernels.gemm(base + 4 * (kh * wp + kw) * inC, 4, 4 * stride * inC, pPacked, pOut + tap * tapBytes, outC, inC, k, outC, n === 0 ? 0 : 1);
        }
      }
    }
  } finally {
    scratch.free();
  }
  return out;
}
