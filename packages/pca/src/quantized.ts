import type { Matrix } from '@latentkit/core';

/**
 * Detects 8-bit data: every value is an integer 0..255 divided by `scale` (255 for pixels/255, 1 for raw
 * bytes). Such data lets the covariance pass pack two exact integer products into one float64.
 * Returns the scale, or undefined when the data is anything else.
 */
export function detectByteScale(x: Matrix): number | undefined {
  for (const scale of [255, 1]) if (isByteScaled(x.data, scale)) return scale;
  return undefined;
}

function isByteScaled(d: Float32Array, scale: number): boolean {
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (v === 0) continue;
    const k = Math.round(v * scale);
    if (k < 0 || k > 255 || Math.fround(k / scale) !== v) return false;
  }
  return true;
}
