import { describe, expect, it } from 'vitest';
import { Buffer } from 'node:buffer';
import { createRng } from '@latentkit/core';
import { pngDataUri, svgDataUri, toBase64 } from './index.js';

describe('base64 data URIs', () => {
  it('matches Node’s base64 for every padding case and a long buffer', () => {
    const rng = createRng(7);
    for (const n of [0, 1, 2, 3, 4, 5, 6, 7, 31, 32, 33, 100_003]) {
      const bytes = Uint8Array.from({ length: n }, () => rng.int(256));
      expect(toBase64(bytes), `length ${n}`).toBe(Buffer.from(bytes).toString('base64'));
    }
  });

  it('wraps PNG bytes and UTF-8 SVG text', () => {
    expect(pngDataUri(new Uint8Array([137, 80, 78, 71]))).toBe('data:image/png;base64,iVBORw==');
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><title>g∘f é</title></svg>';
    const uri = svgDataUri(svg);
    expect(uri.startsWith('data:image/svg+xml;base64,')).toBe(true);
    expect(Buffer.from(uri.split(',')[1]!, 'base64').toString('utf8')).toBe(svg);
  });
});
