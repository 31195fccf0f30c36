import { LatentkitError, type Matrix } from '@latentkit/core';
import { createRgbaImage, setPixel, type Rgb, type RgbaImage } from './canvas.js';
import { bitmapTextHeight, bitmapTextWidth, drawBitmapText } from './bitmap-text.js';

/** One row of a grid: a matrix holding one flattened image per matrix row, values in [0, 1]. */
export interface GridRow {
  label?: string;
  images: Matrix;
}

export interface ImageGridOptions {
  /** [height, width, channels] of each image; pixels are stored channels-last (HWC). Default [28, 28, 1]. */
  imageShape?: readonly [number, number, number];
  /** Integer upscaling of each image pixel (nearest neighbour). Default 2. */
  scale?: number;
  /** Pixels between cells, rows, the label column and around the edge. Default 2. */
  gap?: number;
  /** Width of the label column in pixels; default fits the widest label, 0 hides labels. */
  labelWidth?: number;
  /** Gray level of the background in [0, 1]. Default 1 (white). */
  background?: number;
  /** Text drawn across the top. */
  title?: string;
  /** Size of one font pixel for labels and the title. Default min(scale, 3). */
  labelScale?: number;
}

const DEFAULT_SHAPE: readonly [number, number, number] = [28, 28, 1];

/** Renders rows of images (stacked vertically, images left to right) into an RGBA raster. */
export function imageGridRgba(rows: readonly GridRow[], options: ImageGridOptions = {}): RgbaImage {
  const [h, w, c] = validShape(options.imageShape ?? DEFAULT_SHAPE);
  const scale = nonNegativeInt(options.scale ?? 2, 'scale', 1);
  const gap = nonNegativeInt(options.gap ?? 2, 'gap', 0);
  const textScale = nonNegativeInt(options.labelScale ?? Math.min(scale, 3), 'labelScale', 1);
  const background = options.background ?? 1;
  if (!(background >= 0 && background <= 1)) {
    throw new LatentkitError('E_OPTION', `background must be a gray level in [0, 1], got ${background}`);
  }
  if (rows.length === 0) throw new LatentkitError('E_EMPTY', 'image grid has no rows');
  rows.forEach((r, i) => checkRow(r, i, h * w * c));

  const labels = rows.map((r) => r.label ?? '');
  const widestLabel = Math.max(0, ...labels.map((l) => bitmapTextWidth(l, textScale)));
  const labelCol =
    options.labelWidth === undefined ? widestLabel : nonNegativeInt(options.labelWidth, 'labelWidth', 0);
  const textH = bitmapTextHeight(textScale);
  const cellW = w * scale;
  const cellH = h * scale;
  const bandH = labelCol > 0 && widestLabel > 0 ? Math.max(cellH, textH) : cellH;
  const titleH = options.title ? textH + gap : 0;
  const ncols = Math.max(...rows.map((r) => r.images.rows));
  const firstImageX = gap + (labelCol > 0 ? labelCol + gap : 0);
  const gridRight = firstImageX + ncols * cellW + Math.max(0, ncols - 1) * gap + gap;
  const titleRight = options.title ? 2 * gap + bitmapTextWidth(options.title, textScale) : 0;
  const width = Math.max(gridRight, titleRight, 1);
  const height = gap + titleH + rows.length * bandH + (rows.length - 1) * gap + gap;

  const bg = Math.round(background * 255);
  const ink: Rgb = background >= 0.5 ? [0, 0, 0] : [255, 255, 255];
  const img = createRgbaImage(width, height, [bg, bg, bg]);
  if (options.title) drawBitmapText(img, options.title, gap, gap, ink, textScale);

  rows.forEach((r, i) => {
    const top = gap + titleH + i * (bandH + gap);
    if (labelCol > 0 && labels[i]) {
      const clip = { x: gap, y: top, width: labelCol, height: bandH };
      drawBitmapText(img, labels[i]!, gap, top + Math.floor((bandH - textH) / 2), ink, textScale, clip);
    }
    const imageTop = top + Math.floor((bandH - cellH) / 2);
    for (let k = 0; k < r.images.rows; k++) {
      const pixels = r.images.data.subarray(k * h * w * c, (k + 1) * h * w * c);
      paintImage(img, pixels, firstImageX + k * (cellW + gap), imageTop, h, w, c, scale);
    }
  });
  return img;
}

/** Copies one HWC image into the raster, clamping values to [0, 1] and scaling by pixel replication. */
function paintImage(
  img: RgbaImage,
  pixels: Float32Array,
  left: number,
  top: number,
  h: number,
  w: number,
  c: number,
  scale: number,
): void {
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const base = (y * w + x) * c;
      const r = toByte(pixels[base]!);
      const color: Rgb = c === 1 ? [r, r, r] : [r, toByte(pixels[base + 1]!), toByte(pixels[base + 2]!)];
      for (let sy = 0; sy < scale; sy++) {
        for (let sx = 0; sx < scale; sx++) setPixel(img, left + x * scale + sx, top + y * scale + sy, color);
      }
    }
  }
}

function toByte(v: number): number {
  return Math.round(Math.min(1, Math.max(0, v)) * 255);
}

function checkRow(r: GridRow, index: number, valuesPerImage: number): void {
  const name = r.label ? `row ${index} ("${r.label}")` : `row ${index}`;
  if (r.images.cols !== valuesPerImage) {
    throw new LatentkitError(
      'E_SHAPE',
      `image grid ${name} has ${r.images.cols} values per image, expected ${valuesPerImage} from imageShape`,
    );
  }
  const d = r.images.data;
  for (let i = 0; i < r.images.rows * r.images.cols; i++) {
    if (Number.isNaN(d[i])) {
      throw new LatentkitError('E_INPUT_VALUE', `image grid ${name} has NaN in image ${Math.floor(i / valuesPerImage)}`);
    }
  }
}

function validShape(shape: readonly number[]): [number, number, number] {
  const [h, w, c] = shape;
  const ok = shape.length === 3 && [h, w, c].every((v) => Number.isInteger(v) && v! > 0) && (c === 1 || c === 3);
  if (!ok) {
    throw new LatentkitError('E_OPTION', `imageShape must be [height, width, 1 or 3] with positive integers, got [${shape.join(', ')}]`);
  }
  return [h!, w!, c!];
}

function nonNegativeInt(v: number, name: string, min: number): number {
  if (!Number.isInteger(v) || v < min) {
    throw new LatentkitError('E_OPTION', `${name} must be an integer ≥ ${min}, got ${v}`);
  }
  return v;
}
