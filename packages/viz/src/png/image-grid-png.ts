import type { GridRow, ImageGridOptions } from './image-grid.js';
import { imageGridRgba } from './image-grid.js';
import { encodeRgbaPng } from './png-codec.js';

/** An image grid as PNG bytes: grayscale for 1-channel images, RGB for 3-channel ones. */
export function imageGridPng(rows: readonly GridRow[], options: ImageGridOptions = {}): Uint8Array {
  const channels = options.imageShape?.[2] === 3 ? 3 : 1;
  return encodeRgbaPng(imageGridRgba(rows, options), channels);
}
