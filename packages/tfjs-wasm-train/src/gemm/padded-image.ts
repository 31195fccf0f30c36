/**
 * Copies image `n` of an NHWC batch into `dst` (hp × wp × c, zero-filled once by the caller) at its place
 * inside a border of `padTop` rows and `padLeft` columns; rows and columns that fall outside are skipped, so
 * a window smaller than the image (a valid conv's unread edge) crops it. Only the border stays zero between
 * images: every interior value is overwritten.
 */
export function copyPaddedImage(x: Float32Array, n: number, inH: number, inW: number, c: number, dst: Float32Array, hp: number, wp: number, padTop: number, padLeft: number): void {
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
