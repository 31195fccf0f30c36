import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { ConvGeometry } from '../conv-geometry.js';
import { allocF32, heapF32 } from '../wasm-backend.js';
import type { WasmBackendLike } from '../wasm-backend.js';
import type { GemmKernels } from './gemm-module.js';
import { scratchOn, shiftedLayout, widenRows } from './shifted-layout.js';

/**
 * dx of an NHWC convolution with equal strides s (also conv2dTranspose's forward pass) on the GEMM, with no
 * col2im scatter: the mirror of shiftedFilterGradient. With output pixels numbered p = h·Wp + w over the padded
 * input's width Wp, output pixel (h, w) feeds input pixel s·p + kh·Wp + kw through tap (kh, kw), so per tap
 *   dxPadded[s·p + kh·Wp + kw, :] += D(p, :) · W[kh, kw]ᵀ,  D = dy widened to Wp columns with zero rows at w ≥ outW
 * is one GEMM (M ≈ outH·Wp, K = O, N = C) whose output rows lie s·C floats apart. Zero rows of D add zero to
 * whatever they land on; the rows of one call never overlap. The filter is packed once per call, every tap.
 */
export function shiftedInputGradient(wasm: WasmBackendLike, kernels: GemmKernels, dy: TensorInfo, filter: TensorInfo, g: ConvGeometry, inputShape: readonly number[]): TensorInfo {
  const { batch, inH, inW, inC, outH, outW, outC, kH, kW, padTop, padLeft, strideH: stride } = g;
  const dx = allocF32(wasm, [...inputShape]);
  if (batch === 0 || outH === 0 || outW === 0 || inC === 0 || outC === 0) {
    heapF32(wasm, dx).fill(0);
    return dx;
  }
  // Written straight into dx when the padded image is the input itself.
  const layout = shiftedLayout(g);
  const { hp, wp, rows: m } = layout;
  const taps = kH * kW;
  const panelFloats = Math.ceil(inC / 8) * 8 * outC;
  const scratch = scratchOn(wasm);
  const image = layout.padded ? scratch.take(hp * wp * inC) : undefined;
  const wide = scratch.take(m * outC);
  const packed = scratch.take(taps * panelFloats);
  try {
    // Views and addresses after every allocation: growing the heap moves views, never addresses.
    const dys = heapF32(wasm, dy);
    const dxs = heapF32(wasm, dx);
    const wideView = heapF32(wasm, wide);
    wideView.fill(0);
    const imageView = image ? heapF32(wasm, image) : undefined;
    const [pFilter, pWide, pPacked] = [filter, wide, packed].map((t) => heapF32(wasm, t).byteOffset) as [number, number, number];
    // B for tap t is W[kh, kw]ᵀ: B(o, c) = filter[t, c, o].
    for (let t = 0; t < taps; t++) kernels.pack(pFilter + 4 * t * inC * outC, 4, 4 * outC, outC, inC, pPacked + 4 * t * panelFloats);
    if (imageView) dxs.fill(0);
    for (let n = 0; n < batch; n++) {
      widenRows(dys, n, g, wp, wideView);
      const target = imageView ?? dxs.subarray(n * inH * inW * inC, (n + 1) * inH * inW * inC);
      target.fill(0);
      const base = imageView ? imageView.byteOffset : dxs.byteOffset + 4 * n * inH * inW * inC;
      for (let kh = 0; kh < kH; kh++) {
        for (let kw = 0; kw < kW; kw++) {
          const t = kh * kW + kw;
          kernels.gemm(pWide, 4 * outC, 4, pPacked + 4 * t * panelFloats, base + 4 * (kh * wp + kw) * inC, stride * inC, m, outC, inC, 1);
        }
      }
      if (imageView) {
        // Crop the padding off; input pixels no output reads (a valid conv's leftover edge) stay zero.
        for (let ih = 0; ih < inH; ih++) {
          const h = ih + padTop;
          if (h < 0 || h >= hp) continue;
          const iw0 = Math.max(0, -padLeft);
          const iw1 = Math.min(inW, wp - padLeft);
          if (iw1 <= iw0) continue;
          const src = (h * wp + iw0 + padLeft) * inC;
          dxs.set(imageView.subarray(src, src + (iw1 - iw0) * inC), ((n * inH + ih) * inW + iw0) * inC);
        }
      }
    }
  } finally {
    scratch.free();
  }
  return dx;
}
