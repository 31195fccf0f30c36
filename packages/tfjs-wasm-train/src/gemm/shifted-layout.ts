import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { ConvGeometry } from '../conv-geometry.js';
import { allocF32, freeAll } from '../wasm-backend.js';
import type { WasmBackendLike } from '../wasm-backend.js';

/**
 * How the shifted GEMMs see a convolution with equal strides s: the padded input window it reads (hp × wp;
 * `padded` when that differs from the input itself, so it needs a copy), and `rows`, the output pixels
 * numbered p = h·wp + w up to the last one, (outH−1)·wp + outW. Output pixel p reads input pixel
 * s·p + kh·wp + kw through tap (kh, kw); p with w ≥ outW are the padding rows the callers keep at zero.
 */
export interface ShiftedLayout {
  readonly hp: number;
  readonly wp: number;
  readonly padded: boolean;
  readonly rows: number;
}

export function shiftedLayout(g: ConvGeometry): ShiftedLayout {
  const hp = (g.outH - 1) * g.strideH + g.kH;
  const wp = (g.outW - 1) * g.strideW + g.kW;
  return { hp, wp, padded: g.padTop !== 0 || g.padLeft !== 0 || hp !== g.inH || wp !== g.inW, rows: (g.outH - 1) * wp + g.outW };
}

/**
 * Copies image `n` of an NHWC batch into `dst` (hp × wp × c, zero-filled once by the caller) at its place
 * inside a border of `padTop` rows and `padLeft` columns; rows and columns that fall outside are skipped, so
 * a window smaller than the image (a valid conv's unread edge) crops it. Only the border stays zero between
 * images: every interior value is overwritten.
 */
export function copyPaddedImage(x: Float32Array, n: number, g: ConvGeometry, { hp, wp }: ShiftedLayout, dst: Float32Array): void {
  const { inH, inW, inC: c, padTop, padLeft } = g;
  const w0 = Math.max(0, padLeft);
  const iw0 = Math.max(0, -padLeft);
  const count = Math.min(inW - iw0, wp - w0);
  if (count <= 0) return;
  for (let h = 0; h < hp; h++) {
    const ih = h - padTop;
    if (ih < 0 || ih >= inH) continue;
    const src = ((n * inH + ih) * inW + iw0) * c;
    dst.set(x.subarray(src, src + count * c), (h * wp + w0) * c);
  }
}

/**
 * The byte address of image `n` as the shifted GEMMs read it: its place in x, or `padded` (hp × wp × c) after
 * copyPaddedImage put it there.
 */
export function imageAt(x: Float32Array, n: number, g: ConvGeometry, layout: ShiftedLayout, padded: Float32Array | undefined): number {
  if (!padded) return x.byteOffset + 4 * n * g.inH * g.inW * g.inC;
  copyPaddedImage(x, n, g, layout, padded);
  return padded.byteOffset;
}

/** Copies image `n`'s dy rows (outW × outC each) to rows h·width of `wide`, whose other rows stay zero. */
export function widenRows(dy: Float32Array, n: number, g: ConvGeometry, width: number, wide: Float32Array): void {
  const { outH, outW, outC } = g;
  for (let h = 0; h < outH; h++) {
    const src = (n * outH + h) * outW * outC;
    wide.set(dy.subarray(src, src + outW * outC), h * width * outC);
  }
}

/**
 * How many images one pass of a shifted GEMM takes when each needs `floatsPerImage` scratch floats: as many as
 * fit in `maxFloats` (at least one). Images side by side let one GEMM's K run across them.
 */
export function imagesPerPass(floatsPerImage: number, batch: number, maxFloats: number): number {
  return Math.max(1, Math.min(batch, Math.floor(maxFloats / Math.max(1, floatsPerImage))));
}

/** Temporary float32 buffers on the wasm heap, freed together. */
export function scratchOn(wasm: WasmBackendLike): { take(floats: number): TensorInfo; free(): void } {
  const temps: TensorInfo[] = [];
  return {
    take(floats) {
      const t = allocF32(wasm, [floats]);
      temps.push(t);
      return t;
    },
    free: () => freeAll(wasm, temps),
  };
}
