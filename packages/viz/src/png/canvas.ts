import { LatentkitError } from '@latentkit/core';

/** An RGBA raster, row-major, 4 bytes per pixel — the shape a browser canvas ImageData takes. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}

/** An axis-aligned pixel rectangle; drawing is clipped to it. */
export interface PixelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type Rgb = readonly [number, number, number];

export function createRgbaImage(width: number, height: number, fill: Rgb): RgbaImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new LatentkitError('E_SHAPE', `invalid image size ${width}×${height}`);
  }
  const data = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < data.length; p += 4) {
    data[p] = fill[0];
    data[p + 1] = fill[1];
    data[p + 2] = fill[2];
    data[p + 3] = 255;
  }
  return { width, height, data };
}

/** Paints one opaque pixel; coordinates outside the image or the clip rectangle are ignored. */
export function setPixel(img: RgbaImage, x: number, y: number, color: Rgb, clip?: PixelRect): void {
  if (x < 0 || y < 0 || x >= img.width || y >= img.height) return;
  if (clip && (x < clip.x || y < clip.y || x >= clip.x + clip.width || y >= clip.y + clip.height)) return;
  const p = (y * img.width + x) * 4;
  img.data[p] = color[0];
  img.data[p + 1] = color[1];
  img.data[p + 2] = color[2];
  img.data[p + 3] = 255;
}

export function fillRect(img: RgbaImage, rect: PixelRect, color: Rgb): void {
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    for (let x = rect.x; x < rect.x + rect.width; x++) setPixel(img, x, y, color);
  }
}
