import { describe, expect, it } from 'vitest';
import { GLYPHS, GLYPH_HEIGHT, GLYPH_WIDTH } from './font5x7.js';
import { bitmapTextWidth, toBitmapText } from './bitmap-text.js';

describe('5×7 bitmap font', () => {
  it('has a full-size glyph for every printable ASCII character', () => {
    for (let code = 32; code <= 126; code++) {
      const glyph = GLYPHS.get(String.fromCharCode(code));
      expect(glyph?.length, `glyph ${code}`).toBe(GLYPH_WIDTH * GLYPH_HEIGHT);
    }
    expect(GLYPHS.size).toBe(95);
  });

  it('gives every visible character ink and distinct shapes', () => {
    const shapes = new Set<string>();
    for (const [ch, bits] of GLYPHS) {
      if (ch !== ' ') expect(bits.some((b) => b === 1), ch).toBe(true);
      shapes.add(bits.join(''));
    }
    expect(shapes.size).toBe(95);
  });

  it('maps characters outside the font to drawable ones', () => {
    expect(toBitmapText('g∘f(X) (PCA, d=16)')).toBe('gof(X) (PCA, d=16)');
    expect(toBitmapText('café − naïve')).toBe('cafe - naive');
    expect(toBitmapText('λ')).toBe('?');
  });

  it('measures text as 6 px per glyph less the trailing gap', () => {
    expect(bitmapTextWidth('')).toBe(0);
    expect(bitmapTextWidth('X')).toBe(5);
    expect(bitmapTextWidth('g∘f', 2)).toBe((3 * 6 - 1) * 2);
  });
});
