import type { ConvGeometry } from '../conv-geometry.js';

/**
 * A convolution with stride s split into s² stride-1 problems. Input pixel (Y, X) of the padded image lies in
 * phase (Y mod s, X mod s) at (Y div s, X div s), and tap (kh, kw) = (ψ + a·s, φ + b·s) only ever reads phase
 * (ψ, φ): output pixel (h, w) meets it at (h + a, w + b). So in a phase plane of `wq` columns, with output
 * pixels numbered p = h·wq + w, the tap reads plane pixel p + a·wq + b — a uniform stride of one pixel, where
 * the padded image's stride-s numbering (shiftedLayout) would leave s − 1 of every s rows of the GEMM empty.
 */
export interface PhaseLayout {
  readonly stride: number;
  /** Rows and columns of each phase plane: outH − 1 + ⌈kH/s⌉ and outW − 1 + ⌈kW/s⌉ (the largest a and b, plus one). */
  readonly hq: number;
  readonly wq: number;
  /** Output pixels in the p = h·wq + w numbering, up to the last one: (outH − 1)·wq + outW. */
  readonly rows: number;
}

export function phaseLayout(g: ConvGeometry): PhaseLayout {
  const s = g.strideH;
  const hq = g.outH - 1 + Math.ceil(g.kH / s);
  const wq = g.outW - 1 + Math.ceil(g.kW / s);
  return { stride: s, hq, wq, rows: (g.outH - 1) * wq + g.outW };
}

/** Floats in one phase plane of c channels. */
export function planeFloats({ hq, wq }: PhaseLayout, c: number): number {
  return hq * wq * c;
}

/**
 * Writes image `n` of NHWC `x` (the conv's input, c = inC) into its s² phase planes: plane ψ·s + φ starts at
 * `at` + (ψ·s + φ)·`phaseStride` floats of `planes`, and plane[y', x'] = x[s·y' + ψ − padTop, s·x' + φ − padLeft],
 * zero outside the image. Every value of the planes is written, so they may hold anything before.
 */
export function splitIntoPhases(x: Float32Array, n: number, g: ConvGeometry, layout: PhaseLayout, planes: Float32Array, at: number, phaseStride: number): void {
  const { inH, inW, inC: c, padTop, padLeft } = g;
  const { stride: s, hq, wq } = layout;
  for (let psi = 0; psi < s; psi++) {
    for (let phi = 0; phi < s; phi++) {
      let o = at + (psi * s + phi) * phaseStride;
      for (let y = 0; y < hq; y++) {
        const ih = s * y + psi - padTop;
        const rowInside = ih >= 0 && ih < inH;
        for (let xq = 0; xq < wq; xq++, o += c) {
          const iw = s * xq + phi - padLeft;
          if (!rowInside || iw < 0 || iw >= inW) {
            planes.fill(0, o, o + c);
            continue;
          }
          const src = ((n * inH + ih) * inW + iw) * c;
          for (let k = 0; k < c; k++) planes[o + k] = x[src + k]!;
        }
      }
    }
  }
}

/**
 * The inverse for an input gradient: image `n` of NHWC `dx` (c = inC) from its s² planes (laid out as for
 * splitIntoPhases), dx[Y − padTop, X − padLeft] = plane (Y mod s, X mod s) at (Y div s, X div s). Pixels
 * beyond the planes get zero.
 */
export function mergePhases(planes: Float32Array, at: number, phaseStride: number, n: number, g: ConvGeometry, layout: PhaseLayout, dx: Float32Array): void {
  const { inH, inW, inC: c, padTop, padLeft } = g;
  const { stride: s, hq, wq } = layout;
  let o = n * inH * inW * c;
  for (let ih = 0; ih < inH; ih++) {
    const Y = ih + padTop;
    const psi = Y % s;
    const y = (Y - psi) / s;
    for (let iw = 0; iw < inW; iw++, o += c) {
      const X = iw + padLeft;
      const phi = X % s;
      const xq = (X - phi) / s;
      const phase = psi * s + phi;
      if (y >= hq || xq >= wq) {
        dx.fill(0, o, o + c);
        continue;
      }
      const src = at + phase * phaseStride + (y * wq + xq) * c;
      for (let k = 0; k < c; k++) dx[o + k] = planes[src + k]!;
    }
  }
}
