import { describe, expect, it } from 'vitest';
import { rateDistortionSvg } from '../index.js';
import { countOf, parseSvg } from './__fixtures__/svg-check.js';

const points = (offset: number) =>
  [2, 8, 32].flatMap((d) => [4, 8].map((bits) => ({ latentDim: d, bits, bitsPerImage: d * bits * 0.9, psnr: offset + Math.log2(d) * 2 + bits / 2 })));

describe('rateDistortionSvg', () => {
  const svg = rateDistortionSvg({
    models: [
      { label: 'PCA', points: points(10) },
      { label: 'conv AE', points: points(13) },
    ],
    references: [
      { label: 'PNG', bitsPerImage: 2400 },
      { label: 'gzip', bitsPerImage: 1800 },
    ],
  });

  it('draws one line per model and b, and each lossless reference as a line, all in the legend', () => {
    expect(parseSvg(svg).title).toBe('Rate–distortion: bits per image vs PSNR');
    expect(countOf(svg, 'class="series"')).toBe(2 * 2 + 2);
    expect(countOf(svg, 'class="point"')).toBe(2 * 6);
    for (const label of ['PCA, b=8', 'PCA, b=4', 'conv AE, b=8', 'PNG (lossless)', 'gzip (lossless)']) expect(svg).toContain(`>${label}</text>`);
    expect(svg).toContain('>bits per image (log)</text>');
  });

  it('refuses a point without a rate or with a NaN PSNR, naming it', () => {
    expect(() => rateDistortionSvg({ models: [{ label: 'x', points: [{ latentDim: 2, bits: 4, bitsPerImage: 0, psnr: 10 }] }] })).toThrow(/d=2 b=4 needs bits per image > 0/);
    expect(() => rateDistortionSvg({ models: [{ label: 'x', points: [{ latentDim: 2, bits: 4, bitsPerImage: 8, psnr: Number.NaN }] }] })).toThrow(/d=2 b=4/);
  });
});
