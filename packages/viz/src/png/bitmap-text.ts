import { GLYPHS, GLYPH_ADVANCE, GLYPH_HEIGHT, GLYPH_WIDTH } from './font5x7.js';
import { setPixel, type PixelRect, type Rgb, type RgbaImage } from './canvas.js';

/** Characters the 5×7 font lacks, mapped to the closest drawable ASCII. */
const SUBSTITUTES: Record<string, string> = {
  '∘': 'o',
  '○': 'o',
  '•': '*',
  '·': '.',
  '×': 'x',
  '−': '-',
  '–': '-',
  '—': '-',
  '‘': "'",
  '’': "'",
  '“': '"',
  '”': '"',
  '≈': '~',
  '…': '...',
  '≤': '<=',
  '≥': '>=',
  '\t': ' ',
};

/** Rewrites text into characters the bitmap font can draw: accents dropped, symbols substituted, the rest '?'. */
export function toBitmapText(text: string): string {
  let out = '';
  // NFD splits "é" into "e" + a combining accent, which is then dropped.
  for (const ch of text.normalize('NFD')) {
    if (GLYPHS.has(ch)) out += ch;
    else if (ch in SUBSTITUTES) out += SUBSTITUTES[ch];
    else if (/\p{M}/u.test(ch)) continue;
    else out += '?';
  }
  return out;
}

/** Pixel width of text drawn at the given integer scale (no trailing gap). */
export function bitmapTextWidth(text: string, scale = 1): number {
  const n = toBitmapText(text).length;
  return n === 0 ? 0 : (n * GLYPH_ADVANCE - 1) * scale;
}

export function bitmapTextHeight(scale = 1): number {
  return GLYPH_HEIGHT * scale;
}

/** Draws text with its top-left corner at (x, y), each font pixel a scale×scale block, clipped to clip. */
export function drawBitmapText(
  img: RgbaImage,
  text: string,
  x: number,
  y: number,
  color: Rgb,
  scale = 1,
  clip?: PixelRect,
): void {
  let penX = x;
  for (const ch of toBitmapText(text)) {
    const bits = GLYPHS.get(ch)!;
    for (let gy = 0; gy < GLYPH_HEIGHT; gy++) {
      for (let gx = 0; gx < GLYPH_WIDTH; gx++) {
        if (bits[gy * GLYPH_WIDTH + gx] === 0) continue;
        for (let sy = 0; sy < scale; sy++) {
          for (let sx = 0; sx < scale; sx++) setPixel(img, penX + gx * scale + sx, y + gy * scale + sy, color, clip);
        }
      }
    }
    penX += GLYPH_ADVANCE * scale;
  }
}
