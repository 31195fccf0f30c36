import { createMatrix, LatentkitError, mse, psnr, reconstruct, type Matrix, type Reducer } from '@latentkit/core';
import { pointImage, type ViewerRun } from './view-run.js';

/** The corruptions the restore panel offers, with the parameter each takes and its default (issue #12). */
export const CORRUPTION_CHOICES = [
  { type: 'none', label: 'none', parameter: undefined, value: undefined },
  { type: 'noise', label: 'Gaussian noise', parameter: 'σ', value: 0.5 },
  { type: 'saltpepper', label: 'salt and pepper', parameter: 'p', value: 0.2 },
  { type: 'mask', label: 'mask (inpainting)', parameter: 'f', value: 0.25 },
  { type: 'downsample', label: 'down-sample (super-resolution)', parameter: 'k', value: 2 },
] as const;

export type CorruptionType = (typeof CORRUPTION_CHOICES)[number]['type'];

/** The choice of a corruption type; E_OPTION for one the panel does not offer. */
export function corruptionChoice(type: string): (typeof CORRUPTION_CHOICES)[number] {
  const choice = CORRUPTION_CHOICES.find((c) => c.type === type);
  if (!choice) throw new LatentkitError('E_OPTION', `corruption: "${type}" is not one of ${CORRUPTION_CHOICES.map((c) => c.type).join(', ')}`);
  return choice;
}

/** The corruption spec ae-core parses ("noise:0.5", "none") from the panel's type and parameter text. */
export function corruptionSpec(type: string, parameter: string): string {
  const choice = corruptionChoice(type);
  return choice.parameter === undefined ? choice.type : `${choice.type}:${parameter.trim()}`;
}

/** The clean rows of the given points in [0, 1] (the run stores pixel bytes ×255). */
export function cleanRows(run: ViewerRun, rows: readonly number[]): Matrix {
  const out = new Float32Array(rows.length * run.features);
  rows.forEach((i, k) => {
    const bytes = pointImage(run, i);
    for (let j = 0; j < bytes.length; j++) out[k * run.features + j] = bytes[j]! / 255;
  });
  return createMatrix(rows.length, run.features, out);
}

export interface Restoration {
  /** g(f(corrupted)) by the model. */
  readonly restored: Matrix;
  /** PSNR (peak 1) of the corrupted rows against the clean ones, over all shown rows; Infinity when equal. */
  readonly psnrCorrupted: number;
  /** PSNR (peak 1) of the restored rows against the clean ones. */
  readonly psnrRestored: number;
}

/** Restores corrupted rows with a model that encodes and decodes, and scores both against the clean rows. */
export async function restore(model: Reducer, clean: Matrix, corrupted: Matrix): Promise<Restoration> {
  const restored = await reconstruct(model, corrupted, 'restoring corrupted rows');
  return { restored, psnrCorrupted: psnr(mse(clean, corrupted)), psnrRestored: psnr(mse(clean, restored)) };
}

/** A PSNR as the panel prints it: "18.42 dB", or "∞ dB" for identical images. */
export function formatPsnr(db: number): string {
  return Number.isFinite(db) ? `${db.toFixed(2)} dB` : '∞ dB';
}
