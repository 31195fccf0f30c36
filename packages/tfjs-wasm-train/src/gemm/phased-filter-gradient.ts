import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { ConvGeometry } from '../conv-geometry.js';
import { allocF32, heapF32 } from '../wasm-backend.js';
import type { WasmBackendLike } from '../wasm-backend.js';
import type { GemmKernels } from './gemm-module.js';
import { phaseLayout, planeFloats, splitIntoPhases } from './phase-layout.js';
import { scratchOn, widenRows } from './shifted-layout.js';

/**
 * dW of an NHWC convolution with equal strides s ≥ 2 on the GEMM: shiftedFilterGradient's scheme on the
 * input's s² phase planes (phaseLayout), so no GEMM row is spent on the pixels a strided output skips. Per
 * image: split x into its phases, widen dy to the planes' width wq and pack it once, then for every tap
 * (kh, kw) = (ψ + a·s, φ + b·s)
 *   dW[kh, kw] (C × O) += Xᵀ · D,  X(p, c) = plane(ψ, φ)[p + a·wq + b, c],  D(p, o) = dy[h, w, o] (zero at w ≥ outW)
 * whose rows are consecutive pixels of the plane.
 */
export function phasedFilterGradient(wasm: WasmBackendLike, kernels: GemmKernels, x: TensorInfo, dy: TensorInfo, g: ConvGeometry): TensorInfo {
  const { batch, inC, outH, outW, outC, kH, kW } = g;
  const out = allocF32(wasm, [kH, kW, inC, outC]);
  if (batch === 0 || outH === 0 || outW === 0 || inC === 0 || outC === 0) {
    heapF32(wasm, out).fill(0);
    return out;
  }
  const layout = phaseLayout(g);
  const { stride: s, wq, rows: k } = layout;
  const perPlane = planeFloats(layout, inC);
  const scratch = scratchOn(wasm);
  const planes = scratch.take(s * s * perPlane);
  const wide = scratch.take(k * outC);
  const packed = scratch.take(Math.ceil(outC / 8) * 8 * k);
  try {
    // Views and addresses after every allocation: growing the heap moves views, never addresses.
    const xs = heapF32(wasm, x);
    const dys = heapF32(wasm, dy);
    const planeView = heapF32(wasm, planes);
    const wideView = heapF32(wasm, wide);
    wideView.fill(0);
    const [pOut, pPlanes, pWide, pPacked] = [out, planes, wide, packed].map((t) => heapF32(wasm, t).byteOffset) as [number, number, number, number];
    const tapBytes = 4 * inC * outC;
    for (let n = 0; n < batch; n++) {
      splitIntoPhases(xs, n, g, layout, planeView, 0, perPlane);
      widenRows(dys, n, g, wq, wideView);
      kernels.pack(pWide, 4 * outC, 4, k, outC, pPacked);
      for (let kh = 0; kh < kH; kh++) {
        for (let kw = 0; kw < kW; kw++) {
          const [psi, a, phi, b] = [kh % s, Math.floor(kh / s), kw % s, Math.floor(kw / s)];
          const plane = pPlanes + 4 * (psi * s + phi) * perPlane;
          kernels.gemm(plane + 4 * (a * wq + b) * inC, 4, 4 * inC, pPacked, pOut + (kh * kW + kw) * tapBytes, outC, inC, k, outC, n === 0 ? 0 : 1);
        }
      }
    }
  } finally {
    scratch.free();
  }
  return out;
}
