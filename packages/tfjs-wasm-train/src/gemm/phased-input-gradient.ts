import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { ConvGeometry } from '../conv-geometry.js';
import { allocF32, heapF32 } from '../wasm-backend.js';
import type { WasmBackendLike } from '../wasm-backend.js';
import type { GemmKernels } from './gemm-module.js';
import { mergePhases, phaseLayout, planeFloats } from './phase-layout.js';
import { imagesPerPass, scratchOn, widenRows } from './shifted-layout.js';

/**
 * dx of an NHWC convolution with equal strides s ≥ 2 (also conv2dTranspose's forward pass) on the GEMM, one
 * phase plane of the padded input at a time (phaseLayout). Plane (ψ, φ) only receives taps
 * (kh, kw) = (ψ + a·s, φ + b·s), from output pixel (y − a, x − b), so with dy widened to the planes' width wq
 * (zero columns w ≥ outW) behind a zero front of aMax·wq + bMax rows,
 *   plane[q, :] = Σ_taps D(q − a·wq − b, :) · W[kh, kw]ᵀ
 * is one gemmTaps call per plane, summing its taps in registers: reads that fall left of column 0 wrap onto
 * zero columns, reads above row 0 onto the zero front. Images of a pass sit hq·wq rows apart, D zero at
 * h ≥ outH, so the zero rows that end one image are exactly the front the next needs: one call covers the
 * pass (M = n·hq·wq, K = O, N = C). The planes are then interleaved into dx.
 */
export function phasedInputGradient(wasm: WasmBackendLike, kernels: GemmKernels, dy: TensorInfo, filter: TensorInfo, g: ConvGeometry, inputShape: readonly number[], maxFloats: number): TensorInfo {
  const { batch, inC, outH, outW, outC, kH, kW } = g;
  const dx = allocF32(wasm, [...inputShape]);
  if (batch === 0 || outH === 0 || outW === 0 || inC === 0 || outC === 0) {
    heapF32(wasm, dx).fill(0);
    return dx;
  }
  const layout = phaseLayout(g);
  const { stride: s, hq, wq } = layout;
  const front = (Math.ceil(kH / s) - 1) * wq + Math.ceil(kW / s) - 1;
  const perImage = hq * wq;
  const count = imagesPerPass(perImage * (outC + s * s * inC), batch, maxFloats);
  const phaseStride = count * planeFloats(layout, inC);
  const panelFloats = Math.ceil(inC / 8) * 8 * outC;
  const taps = kH * kW;
  // Taps grouped by phase: phase ψ·s + φ owns taps first[phase] … first[phase + 1] − 1.
  const order: { kh: number; kw: number }[] = [];
  const first: number[] = [];
  for (let psi = 0; psi < s; psi++) {
    for (let phi = 0; phi < s; phi++) {
      first.push(order.length);
      for (let kh = psi; kh < kH; kh += s) for (let kw = phi; kw < kW; kw += s) order.push({ kh, kw });
    }
  }
  first.push(order.length);
  const scratch = scratchOn(wasm);
  const ext = scratch.take((front + count * perImage) * outC);
  const planes = scratch.take(s * s * phaseStride);
  const packed = scratch.take(taps * panelFloats);
  const offsets = scratch.take(taps);
  try {
    // Views and addresses after every allocation: growing the heap moves views, never addresses.
    const dys = heapF32(wasm, dy);
    const dxs = heapF32(wasm, dx);
    const extView = heapF32(wasm, ext);
    extView.fill(0);
    const planeView = heapF32(wasm, planes);
    // A phase no tap reaches (a kernel narrower than the stride) keeps this zero plane.
    planeView.fill(0);
    const [pFilter, pExt, pPlanes, pPacked, pOffsets] = [filter, ext, planes, packed, offsets].map((t) => heapF32(wasm, t).byteOffset) as [number, number, number, number, number];
    const offs = new Int32Array(extView.buffer, pOffsets, taps);
    order.forEach(({ kh, kw }, t) => {
      // B for tap t is W[kh, kw]ᵀ: B(o, c) = filter[kh, kw, c, o]; A is read a·wq + b pixels back.
      kernels.pack(pFilter + 4 * (kh * kW + kw) * inC * outC, 4, 4 * outC, outC, inC, pPacked + 4 * t * panelFloats);
      offs[t] = -4 * (Math.floor(kh / s) * wq + Math.floor(kw / s)) * outC;
    });
    const rows = extView.subarray(front * outC);
    const a = pExt + 4 * front * outC;
    for (let start = 0; start < batch; start += count) {
      const n = Math.min(count, batch - start);
      for (let j = 0; j < n; j++) widenRows(dys, start + j, g, wq, rows.subarray(j * perImage * outC));
      for (let phase = 0; phase < s * s; phase++) {
        const t0 = first[phase]!;
        if (first[phase + 1] === t0) continue;
        kernels.gemmTaps(a, 4 * outC, 4, pOffsets + 4 * t0, first[phase + 1]! - t0, pPacked + 4 * t0 * panelFloats, 4 * panelFloats, pPlanes + 4 * phase * phaseStride, inC, n * perImage, outC, inC, 0);
      }
      for (let j = 0; j < n; j++) mergePhases(planeView, j * perImage * inC, phaseStride, start + j, g, layout, dxs);
    }
  } finally {
    scratch.free();
  }
  return dx;
}
