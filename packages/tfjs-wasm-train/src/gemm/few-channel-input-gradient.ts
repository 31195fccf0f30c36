import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { ConvGeometry } from '../conv-geometry.js';
import { allocF32, heapF32 } from '../wasm-backend.js';
import type { WasmBackendLike } from '../wasm-backend.js';
import type { GemmKernels } from './gemm-module.js';
import { scratchOn, shiftedLayout, widenRows } from './shifted-layout.js';

/**
 * dx of a stride-1 NHWC convolution with few input channels (conv2dTranspose to a grey image, say), where
 * shiftedInputGradient's N = C would leave most of each 8-column panel empty. With output pixels numbered
 * p = h·Wp + w over the padded input's width and D = dy widened to Wp columns (zero at w ≥ outW) behind a zero
 * front, the filter's kH rows are summed in registers and its kW columns become GEMM columns:
 *   G[q, kw·C + c] = Σ_kh D(q − kh·Wp, :) · W[kh, kw, c, :]        (one gemmTaps call, N = kW·C)
 *   dxPadded[q, c] = Σ_kw G[q − kw, kw·C + c]                        (a diagonal sum over kW columns)
 * G's rows start kW − 1 pixels early so q − kw never goes below its first row; reads that wrap to the left
 * land on D's zero columns.
 */
export function fewChannelInputGradient(wasm: WasmBackendLike, kernels: GemmKernels, dy: TensorInfo, filter: TensorInfo, g: ConvGeometry, inputShape: readonly number[]): TensorInfo {
  const { batch, inH, inW, inC, outH, outW, outC, kH, kW, padTop, padLeft } = g;
  const dx = allocF32(wasm, [...inputShape]);
  if (batch === 0 || outH === 0 || outW === 0 || inC === 0 || outC === 0) {
    heapF32(wasm, dx).fill(0);
    return dx;
  }
  const { hp, wp } = shiftedLayout(g);
  const lead = kW - 1;
  const front = (kH - 1) * wp + lead;
  const n = kW * inC;
  const m = hp * wp + lead;
  const panelFloats = Math.ceil(n / 8) * 8 * outC;
  const scratch = scratchOn(wasm);
  const ext = scratch.take((front + hp * wp) * outC);
  const cols = scratch.take(m * n);
  const packed = scratch.take(kH * panelFloats);
  const offsets = scratch.take(kH);
  try {
    // Views and addresses after every allocation: growing the heap moves views, never addresses.
    const dys = heapF32(wasm, dy);
    const dxs = heapF32(wasm, dx);
    const extView = heapF32(wasm, ext);
    extView.fill(0);
    const colView = heapF32(wasm, cols);
    const [pFilter, pExt, pCols, pPacked, pOffsets] = [filter, ext, cols, packed, offsets].map((t) => heapF32(wasm, t).byteOffset) as [number, number, number, number, number];
    const offs = new Int32Array(extView.buffer, pOffsets, kH);
    for (let kh = 0; kh < kH; kh++) {
      // B for filter row kh: B(o, kw·C + c) = filter[kh, kw, c, o], one column per (kw, c).
      kernels.pack(pFilter + 4 * kh * n * outC, 4, 4 * outC, outC, n, pPacked + 4 * kh * panelFloats);
      offs[kh] = -4 * kh * wp * outC;
    }
    const rows = extView.subarray(front * outC);
    // Row 0 of G is pixel q = −lead.
    const a = pExt + 4 * (front - lead) * outC;
    for (let img = 0; img < batch; img++) {
      widenRows(dys, img, g, wp, rows);
      kernels.gemmTaps(a, 4 * outC, 4, pOffsets, kH, pPacked, 4 * panelFloats, pCols, n, m, outC, n, 0);
      let o = img * inH * inW * inC;
      for (let ih = 0; ih < inH; ih++) {
        const y = ih + padTop;
        for (let iw = 0; iw < inW; iw++, o += inC) {
          const x = iw + padLeft;
          if (y >= hp || x >= wp) {
            dxs.fill(0, o, o + inC);
            continue;
          }
          // G's row for pixel q − kw is q − kw + lead.
          const q = y * wp + x + lead;
          for (let c = 0; c < inC; c++) {
            let sum = 0;
            for (let kw = 0; kw < kW; kw++) sum += colView[(q - kw) * n + kw * inC + c]!;
            dxs[o + c] = sum;
          }
        }
      }
    }
  } finally {
    scratch.free();
  }
  return dx;
}
