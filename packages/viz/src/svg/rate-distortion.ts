import { LatentkitError } from '@latentkit/core';
import { lineChartSvg, type ChartSeries } from './line-chart.js';
import { categoricalColor } from './palette.js';

/** One operating point: a model at a latent size d, its codes quantised to `bits` bits per dimension. */
export interface RatePoint {
  latentDim: number;
  bits: number;
  bitsPerImage: number;
  psnr: number;
}

/** A lossless pixel coder (PNG, gzip): a rate with no distortion to plot, drawn as a horizontal line. */
export interface RateReference {
  label: string;
  bitsPerImage: number;
}

export interface RateDistortionOptions {
  /** Points by model name (e.g. PCA, dense AE, conv AE); each model gets one colour. */
  models: readonly { label: string; points: readonly RatePoint[] }[];
  references?: readonly RateReference[];
  title?: string;
  width?: number;
  height?: number;
}

/**
 * Rate–distortion: bits per image (log scale, vertical) against PSNR (horizontal). Each model's points are
 * joined across d for each b (solid for the largest b, dashed below it); lossless pixel coders are horizontal
 * dashed grey lines, since their PSNR is unbounded. Lower and further right is better.
 */
export function rateDistortionSvg(options: RateDistortionOptions): string {
  const all = options.models.flatMap((m) => m.points);
  all.forEach((p) => {
    if (!(p.bitsPerImage > 0) || Number.isNaN(p.psnr)) {
      throw new LatentkitError('E_INPUT_VALUE', `rate point d=${p.latentDim} b=${p.bits} needs bits per image > 0 and a PSNR, got ${p.bitsPerImage} and ${p.psnr}`);
    }
  });
  const finite = all.map((p) => p.psnr).filter(Number.isFinite);
  const lo = finite.length ? Math.floor(Math.min(...finite) - 1) : 0;
  const hi = finite.length ? Math.ceil(Math.max(...finite) + 1) : 30;
  const maxBits = Math.max(...all.map((p) => p.bits), 0);
  const series: ChartSeries[] = options.models.flatMap((m, mi) => {
    const bitsValues = [...new Set(m.points.map((p) => p.bits))].sort((a, b) => b - a);
    return bitsValues.map(
      (b, rank): ChartSeries => ({
        label: `${m.label}, b=${b}`,
        points: m.points
          .filter((p) => p.bits === b)
          .sort((p, q) => p.latentDim - q.latentDim)
          .map((p) => ({ x: p.psnr, y: p.bitsPerImage })),
        style: 'line+points',
        // the largest b in the model's own colour, each smaller b paler and dashed
        color: tint(categoricalColor(mi), Math.min(0.7, rank * 0.3)),
        dashed: b !== maxBits,
        pointRadius: 2 + b / 4,
      }),
    );
  });
  const greys = ['#555555', '#999999', '#222222', '#bbbbbb'];
  for (const [ri, r] of (options.references ?? []).entries()) {
    if (!(r.bitsPerImage > 0)) throw new LatentkitError('E_INPUT_VALUE', `reference "${r.label}" needs bits per image > 0, got ${r.bitsPerImage}`);
    series.push({ label: `${r.label} (lossless)`, points: [{ x: lo, y: r.bitsPerImage }, { x: hi, y: r.bitsPerImage }], style: 'line', color: greys[ri % greys.length]!, dashed: true });
  }
  return lineChartSvg({
    series,
    title: options.title ?? 'Rate–distortion: bits per image vs PSNR',
    xLabel: 'PSNR (dB, peak 1) — higher is better',
    yLabel: 'bits per image (log)',
    logY: true,
    xDomain: [lo, hi],
    width: options.width ?? 820,
    height: options.height ?? 480,
  });
}

/** `hex` mixed with white by `amount` (0 = unchanged, 1 = white). */
function tint(hex: string, amount: number): string {
  const v = parseInt(hex.slice(1), 16);
  const mix = (c: number) => Math.round(c + (255 - c) * amount).toString(16).padStart(2, '0');
  return `#${mix((v >> 16) & 255)}${mix((v >> 8) & 255)}${mix(v & 255)}`;
}
