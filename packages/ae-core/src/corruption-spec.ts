import { LatentkitError } from '@latentkit/core';
import { z } from 'zod';

/**
 * What a denoising (restoring) autoencoder learns to undo, as the `corrupt` option spells it:
 * - `none`: plain reconstruction;
 * - `noise:σ`: additive Gaussian noise of standard deviation σ, then clipped to [0, 1] (the corrupted input
 *   stays a valid image, as a saved noisy picture would be);
 * - `saltpepper:p`: each value, with probability p, set to 0 or 1 (equally likely);
 * - `mask:f`: inpainting. For images one square hole (all channels) of area ≈ f of the image, at a uniformly
 *   random place inside it, set to 0; for flat rows each value set to 0 with probability f;
 * - `downsample:k`: super-resolution. Each k×k block of an image replaced by its mean (block-average, then
 *   nearest up-sampling); image sides must be multiples of k. Deterministic.
 */
export type Corruption =
  | { readonly type: 'none' }
  | { readonly type: 'noise'; readonly sigma: number }
  | { readonly type: 'saltpepper'; readonly p: number }
  | { readonly type: 'mask'; readonly fraction: number }
  | { readonly type: 'downsample'; readonly factor: number };

export const CORRUPTION_FORMS = 'none, noise:σ, saltpepper:p, mask:f or downsample:k';
const NUMBER = /^[+]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** The corruption a spec names, or the reason it names none (one line, no prefix). */
function parse(spec: string): Corruption | string {
  const text = spec.trim().toLowerCase();
  if (text === 'none') return { type: 'none' };
  const colon = text.indexOf(':');
  const name = colon < 0 ? text : text.slice(0, colon);
  const arg = colon < 0 ? '' : text.slice(colon + 1).trim();
  const value = NUMBER.test(arg) ? Number(arg) : NaN;
  const needs = (what: string, example: string) => `"${spec}" needs ${what} (e.g. ${example})`;
  switch (name) {
    case 'noise':
      return value > 0 && value <= 10 ? { type: 'noise', sigma: value } : needs('a noise level σ in (0, 10]', 'noise:0.5');
    case 'saltpepper':
      return value > 0 && value <= 1 ? { type: 'saltpepper', p: value } : needs('a probability p in (0, 1]', 'saltpepper:0.2');
    case 'mask':
      return value > 0 && value < 1 ? { type: 'mask', fraction: value } : needs('a masked fraction f in (0, 1)', 'mask:0.25');
    case 'downsample':
      return Number.isInteger(value) && value >= 2 && value <= 8 ? { type: 'downsample', factor: value } : needs('an integer factor k from 2 to 8', 'downsample:2');
    default:
      return `"${spec}" is not a corruption (expected ${CORRUPTION_FORMS})`;
  }
}

/** Parses a corruption spec; a bad one is one E_OPTION line naming `what` (a flag or option). */
export function parseCorruption(spec: string, what = 'corrupt'): Corruption {
  const c = parse(spec);
  if (typeof c === 'string') throw new LatentkitError('E_OPTION', `${what}: ${c}`);
  return c;
}

/** The canonical spec of a corruption (parseCorruption's inverse). */
export function formatCorruption(c: Corruption): string {
  switch (c.type) {
    case 'none':
      return 'none';
    case 'noise':
      return `noise:${c.sigma}`;
    case 'saltpepper':
      return `saltpepper:${c.p}`;
    case 'mask':
      return `mask:${c.fraction}`;
    case 'downsample':
      return `downsample:${c.factor}`;
  }
}

/** The `corrupt` option of every autoencoder: a spec string, checked here so --help and bundles keep the text. */
export const corruptOption = z
  .string()
  .superRefine((spec, ctx) => {
    const c = parse(spec);
    if (typeof c === 'string') ctx.addIssue({ code: 'custom', message: c });
  })
  .default('none')
  .describe(`train to undo a corruption, g(f(corrupt(x))) ≈ x: ${CORRUPTION_FORMS} (noise is clipped to [0,1]; mask: one square hole per image; downsample: k×k block means)`);

/** An image's height, width and channels from a model's input shape; undefined for flat rows. */
export function imageDims(inputShape: readonly number[]): { h: number; w: number; c: number } | undefined {
  if (inputShape.length < 2) return undefined;
  return { h: inputShape[0]!, w: inputShape[1]!, c: inputShape.slice(2).reduce((a, b) => a * b, 1) };
}

/** Refuses a corruption the input cannot take (down-sampling flat rows or sides that are not multiples of k). */
export function assertCorruptionFits(c: Corruption, inputShape: readonly number[], what = 'corrupt'): void {
  if (c.type !== 'downsample') return;
  const dims = imageDims(inputShape);
  if (!dims) throw new LatentkitError('E_SHAPE', `${what} ${formatCorruption(c)} needs image input, got flat rows of ${inputShape.join('×')} features`);
  if (dims.h % c.factor || dims.w % c.factor) {
    throw new LatentkitError('E_SHAPE', `${what} ${formatCorruption(c)} needs image sides that are multiples of ${c.factor}, got ${inputShape.join('×')}`);
  }
}

/** The side of the square hole of `mask:f` on an h×w image: √(f·h·w) rounded, at least 1, at most the shorter side. */
export function maskSide(fraction: number, h: number, w: number): number {
  return Math.max(1, Math.min(h, w, Math.round(Math.sqrt(fraction * h * w))));
}
