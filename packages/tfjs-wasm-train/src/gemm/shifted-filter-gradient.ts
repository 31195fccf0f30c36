import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { ConvGeometry } from '../conv-geometry.js';
import { allocF32, heapF32 } from '../wasm-backend.js';
import type { WasmBackendLike } from '../wasm-backend.js';
import type { GemmKernels } from './gemm-module.js';
import { imageAt, scratchOn, shiftedLayout, widenRows } from './shifted-layout.js';

/**
 * dW of an NHWC convolution with stride 1 on the GEMM, with no im2col buffer. Number the output pixels
 * p = h·Wp + w over the padded input's width Wp; output pixel (h, w) reads input pixel p + kh·Wp + kw, so for
 * every filter row kh
 *   dW[kh] (kW·C × O) += Xᵀ · D,  X(p, kw·C + c) = x[p + kh·Wp + kw, c],  D(p, o) = dy[h, w, o]
 * where D is dy widened to Wp columns with zeros at w ≥ outW: those rows read pixels that wrapped into the next
 * row and add nothing. Stopping at p = (outH−1)·Wp + outW keeps every read inside the image. X's rows (kw, c)
 * are kW·C consecutive floats, so M = kW·C: a one-channel image still fills the 4-row microkernel. Per image:
 * one packing of D, then kH GEMMs (K ≈ outH·Wp, N = O) accumulating into the filter's own layout. (K spanning
 * several images measured slower, blocked or not: one image's slice of x stays in L2 across the kH calls.)
 */
export function shiftedFilterGradient(wasm: WasmBackendLike, kernels: GemmKernels, x: TensorInfo, dy: TensorInfo, g: ConvGeometry): TensorInfo {
  const { batch, inC, outH, outW, outC, kH, kW } = g;
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
    const filterRowBytes = 4 * kW * inC * outC;
    for (let n = 0; n < batch; n++) {
      const base = imageAt(xs, n, g, layout, imageView);
      widenRows(dys, n, g, wp, wideView);
      kernels.pack(pWide, 4 * outC, 4, k, outC, pPacked);
      for (let kh = 0; kh < kH; kh++) {
        kernels.gemm(base + 4 * kh * wp * inC, 4, 4 * inC, pPacked, pOut + kh * filterRowBytes, outC, kW * inC, k, outC, n === 0 ? 0 : 1);
      }
    }
  } finally {
    scratch.free();
  }
  return out;
}
