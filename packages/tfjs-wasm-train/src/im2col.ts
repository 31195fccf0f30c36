import type { ConvGeometry } from './conv-geometry.js';

/**
 * Unfolds images `[first, first + count)` of NHWC `x` into `cols`, one row per output pixel
 * (`count·outH·outW` rows) and one column per (kh, kw, ci) tap (`kH·kW·inC` columns). Taps that fall
 * in the padding are written as 0 because `cols` is usually fresh, uninitialised heap memory.
 */
export function im2col(x: Float32Array, cols: Float32Array, g: ConvGeometry, first: number, count: number): void {
  const { inH, inW, inC, outH, outW, kH, kW, strideH, strideW, padTop, padLeft } = g;
  const rowStride = inW * inC;
  const imageStride = inH * rowStride;
  const tapRun = kW * inC;
  let o = 0;
  for (let b = first; b < first + count; b++) {
    const imageBase = b * imageStride;
    for (let oh = 0; oh < outH; oh++) {
      const ih0 = oh * strideH - padTop;
      for (let ow = 0; ow < outW; ow++) {
        const iw0 = ow * strideW - padLeft;
        for (let kh = 0; kh < kH; kh++) {
          const ih = ih0 + kh;
          if (ih < 0 || ih >= inH) {
            cols.fill(0, o, o + tapRun);
            o += tapRun;
            continue;
          }
          const rowBase = imageBase + ih * rowStride;
          for (let kw = 0; kw < kW; kw++) {
            const iw = iw0 + kw;
            if (iw < 0 || iw >= inW) {
              for (let c = 0; c < inC; c++) cols[o++] = 0;
              continue;
            }
            let src = rowBase + iw * inC;
            for (let c = 0; c < inC; c++) cols[o++] = x[src++];
          }
        }
      }
    }
  }
}

/**
 * The adjoint of `im2col`: adds every row of `cols` back onto the input pixels its taps came from,
 * for images `[first, first + count)` of NHWC `dx`. Taps in the padding are dropped. `dx` must
 * already hold zeros (or a partial sum) for those images.
 */
export function col2imAdd(cols: Float32Array, dx: Float32Array, g: ConvGeometry, first: number, count: number): void {
  const { inH, inW, inC, outH, outW, kH, kW, strideH, strideW, padTop, padLeft } = g;
  const rowStride = inW * inC;
  const imageStride = inH * rowStride;
  const tapRun = kW * inC;
  let o = 0;
  for (let b = first; b < first + count; b++) {
    const imageBase = b * imageStride;
    for (let oh = 0; oh < outH; oh++) {
      const ih0 = oh * strideH - padTop;
      for (let ow = 0; ow < outW; ow++) {
        const iw0 = ow * strideW - padLeft;
        for (let kh = 0; kh < kH; kh++) {
          const ih = ih0 + kh;
          if (ih < 0 || ih >= inH) {
            o += tapRun;
            continue;
          }
          const rowBase = imageBase + ih * rowStride;
          for (let kw = 0; kw < kW; kw++) {
            const iw = iw0 + kw;
            if (iw < 0 || iw >= inW) {
              o += inC;
              continue;
            }
            let dst = rowBase + iw * inC;
            for (let c = 0; c < inC; c++) dx[dst++] += cols[o++];
          }
        }
      }
    }
  }
}

/**
 * `im2col` written transposed: `colsT` has one row per (kh, kw, ci) tap and one column per output
 * pixel of images `[first, first + count)`, so `colsT · dy` is the filter gradient directly. The
 * inner loop runs along an output row, writing contiguously.
 */
export function im2colTransposed(x: Float32Array, colsT: Float32Array, g: ConvGeometry, first: number, count: number): void {
  const { inH, inW, inC, outH, outW, kH, kW, strideH, strideW, padTop, padLeft } = g;
  const rowStride = inW * inC;
  const imageStride = inH * rowStride;
  const pixels = count * outH * outW;
  for (let b = 0; b < count; b++) {
    const imageBase = (first + b) * imageStride;
    for (let oh = 0; oh < outH; oh++) {
      const pixelBase = (b * outH + oh) * outW;
      for (let kh = 0; kh < kH; kh++) {
        const ih = oh * strideH - padTop + kh;
        const inside = ih >= 0 && ih < inH;
        for (let kw = 0; kw < kW; kw++) {
          // Output columns whose tap kw lands inside the image: iw = ow·s + kw − pad ∈ [0, inW).
          const owLo = inside ? Math.max(0, Math.ceil((padLeft - kw) / strideW)) : outW;
          const owHi = inside ? Math.min(outW, Math.floor((inW - 1 + padLeft - kw) / strideW) + 1) : outW;
          for (let c = 0; c < inC; c++) {
            const rowBase = ((kh * kW + kw) * inC + c) * pixels + pixelBase;
            let ow = 0;
            for (; ow < owLo; ow++) colsT[rowBase + ow] = 0;
            let src = imageBase + ih * rowStride + (owLo * strideW - padLeft + kw) * inC + c;
            const step = strideW * inC;
            for (; ow < owHi; ow++, src += step) colsT[rowBase + ow] = x[src];
            for (ow = Math.max(ow, owLo); ow < outW; ow++) colsT[rowBase + ow] = 0;
          }
        }
      }
    }
  }
}
