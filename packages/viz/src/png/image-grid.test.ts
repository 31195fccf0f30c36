import { describe, expect, it } from 'vitest';
import { createMatrix, LatentkitError } from '@latentkit/core';
import { decodePng, imageGridPng, imageGridRgba } from '../index.js';

const B = 128; // background 0.5 → round(127.5)

describe('imageGridPng pixel layout', () => {
  it('decodes to exactly the hand-computed pixels (scale 1, gap 1, clamping)', () => {
    const png = imageGridPng(
      [
        { images: createMatrix(2, 4, [0, 0.25, 1, 2, /* second image */ -1, 0.5, 0.75, 1]) },
        { images: createMatrix(1, 4, [0.1, 0.2, 0.3, 0.4]) },
      ],
      { imageShape: [2, 2, 1], scale: 1, gap: 1, background: 0.5 },
    );
    const img = decodePng(png);
    // 1 + 2 + 1 + 2 + 1 in both directions; the second row has one image, so its second cell stays background.
    expect([img.width, img.height, img.channels]).toEqual([7, 7, 1]);
    const expected = [
      [B, B, B, B, B, B, B],
      [B, 0, 64, B, 0, 128, B],
      [B, 255, 255, B, 191, 255, B],
      [B, B, B, B, B, B, B],
      [B, 26, 51, B, B, B, B],
      [B, 77, 102, B, B, B, B],
      [B, B, B, B, B, B, B],
    ];
    expect(Array.from(img.data)).toEqual(expected.flat());
  });

  it('replicates each pixel scale×scale times', () => {
    const img = decodePng(
      imageGridPng([{ images: createMatrix(1, 4, [1, 0, 0, 1]) }], { imageShape: [2, 2, 1], scale: 2, gap: 0 }),
    );
    expect([img.width, img.height]).toEqual([4, 4]);
    expect(Array.from(img.data)).toEqual([255, 255, 0, 0, 255, 255, 0, 0, 0, 0, 255, 255, 0, 0, 255, 255]);
  });

  it('writes RGB for 3-channel images, reading pixels channels-last', () => {
    const img = decodePng(
      imageGridPng([{ images: createMatrix(1, 6, [1, 0, 0, 0, 0.5, 1]) }], { imageShape: [1, 2, 3], scale: 1, gap: 0 }),
    );
    expect([img.width, img.height, img.channels]).toEqual([2, 1, 3]);
    expect(Array.from(img.data)).toEqual([255, 0, 0, 0, 128, 255]);
  });

  it('gives the viewer an opaque RGBA raster of the same layout', () => {
    const rgba = imageGridRgba([{ images: createMatrix(1, 1, [0.2]) }], { imageShape: [1, 1, 1], scale: 1, gap: 1, background: 0 });
    expect([rgba.width, rgba.height]).toEqual([3, 3]);
    expect(Array.from(rgba.data.subarray(4 * 4, 4 * 5))).toEqual([51, 51, 51, 255]);
    expect(Array.from(rgba.data.subarray(0, 4))).toEqual([0, 0, 0, 255]);
  });
});

describe('imageGridPng labels and title', () => {
  const images = createMatrix(2, 4, new Float32Array(8).fill(0.5)); // two 2×2 mid-gray images
  const rows = [
    { label: 'X', images },
    { label: 'g∘f(X)', images },
  ];

  it('draws ink only in the label column; image cells hold only their pixels', () => {
    const img = decodePng(imageGridPng(rows, { imageShape: [2, 2, 1], scale: 1, gap: 1, background: 1 }));
    // "g∘f(X)" → "gof(X)": 6 glyphs × 6 px − 1 = 35 px label column; band height = max(2, 7) = 7.
    const labelCol = 35;
    const firstImageX = 1 + labelCol + 1;
    expect(img.width).toBe(firstImageX + 2 + 1 + 2 + 1);
    expect(img.height).toBe(1 + 7 + 1 + 7 + 1);
    const at = (x: number, y: number): number => img.data[y * img.width + x]!;
    for (const bandTop of [1, 9]) {
      let ink = 0;
      for (let y = bandTop; y < bandTop + 7; y++) for (let x = 1; x < 1 + labelCol; x++) if (at(x, y) === 0) ink++;
      expect(ink).toBeGreaterThan(5);
    }
    // Right of the label column: background or exact image gray, nothing else; images are centred in the band.
    for (let y = 0; y < img.height; y++) {
      for (let x = 1 + labelCol; x < img.width; x++) {
        const inBand = (y >= 3 && y < 5) || (y >= 11 && y < 13);
        const inCell = inBand && ((x >= firstImageX && x < firstImageX + 2) || (x >= firstImageX + 3 && x < firstImageX + 5));
        expect(at(x, y)).toBe(inCell ? 128 : 255);
      }
    }
  });

  it('draws unsupported characters with their substitute', () => {
    const a = imageGridRgba([{ label: 'g∘f', images }], { imageShape: [2, 2, 1], scale: 1 });
    const b = imageGridRgba([{ label: 'gof', images }], { imageShape: [2, 2, 1], scale: 1 });
    expect(a.data).toEqual(b.data);
    const c = imageGridRgba([{ label: 'gxf', images }], { imageShape: [2, 2, 1], scale: 1 });
    expect(a.data).not.toEqual(c.data);
  });

  it('clips labels to a narrow labelWidth and hides them at 0', () => {
    const narrow = decodePng(imageGridPng(rows, { imageShape: [2, 2, 1], scale: 1, gap: 1, labelWidth: 3 }));
    expect(narrow.width).toBe(1 + 3 + 1 + 5 + 1);
    const hidden = decodePng(imageGridPng(rows, { imageShape: [2, 2, 1], scale: 1, gap: 1, labelWidth: 0 }));
    expect(hidden.width).toBe(1 + 5 + 1);
    expect(hidden.height).toBe(1 + 2 + 1 + 2 + 1);
    expect(Array.from(hidden.data).every((v) => v === 255 || v === 128)).toBe(true);
  });

  it('draws the title across the top and grows the grid to fit it', () => {
    const plain = decodePng(imageGridPng([{ images }], { imageShape: [2, 2, 1], scale: 1, gap: 1 }));
    const titled = decodePng(imageGridPng([{ images }], { imageShape: [2, 2, 1], scale: 1, gap: 1, title: 'Reconstructions' }));
    expect(titled.height).toBe(plain.height + 7 + 1);
    expect(titled.width).toBe(1 + (15 * 6 - 1) + 1);
    const topBand = Array.from(titled.data.subarray(titled.width, titled.width * 8));
    expect(topBand.filter((v) => v === 0).length).toBeGreaterThan(30);
  });

  it('picks white text on a dark background', () => {
    const img = decodePng(imageGridPng([{ label: 'A', images }], { imageShape: [2, 2, 1], scale: 1, background: 0 }));
    expect(Array.from(img.data).some((v) => v === 255)).toBe(true);
  });
});

describe('imageGridPng input checks', () => {
  const ok = createMatrix(1, 4, [0, 0, 0, 0]);
  const code = (fn: () => unknown): string => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(LatentkitError);
      return `${(e as LatentkitError).code}: ${(e as Error).message}`;
    }
    return 'no error';
  };

  it('names the row whose images have the wrong size', () => {
    expect(code(() => imageGridPng([{ images: ok }, { label: 'recon', images: createMatrix(1, 5) }], { imageShape: [2, 2, 1] }))).toMatch(
      /^E_SHAPE: .*row 1 \("recon"\).*5 values.*expected 4/,
    );
  });

  it('rejects NaN, empty grids and bad options', () => {
    expect(code(() => imageGridPng([{ images: createMatrix(1, 4, [0, NaN, 0, 0]) }], { imageShape: [2, 2, 1] }))).toMatch(/^E_INPUT_VALUE/);
    expect(code(() => imageGridPng([]))).toMatch(/^E_EMPTY/);
    expect(code(() => imageGridPng([{ images: ok }], { imageShape: [2, 2, 1], scale: 0 }))).toMatch(/^E_OPTION: scale/);
    expect(code(() => imageGridPng([{ images: ok }], { imageShape: [2, 2, 1], scale: 1.5 }))).toMatch(/^E_OPTION: scale/);
    expect(code(() => imageGridPng([{ images: ok }], { imageShape: [1, 2, 2] }))).toMatch(/^E_OPTION: imageShape/);
    expect(code(() => imageGridPng([{ images: ok }], { imageShape: [2, 2, 1], background: 2 }))).toMatch(/^E_OPTION: background/);
  });

  it('reports bytes that are not a PNG', () => {
    expect(code(() => decodePng(new Uint8Array([1, 2, 3, 4])))).toMatch(/^E_INPUT_FORMAT/);
  });
});
