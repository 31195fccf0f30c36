import { corruptRows, formatCorruption, parseCorruption } from '@latentkit/ae-core';
import { canReconstruct, mse, psnr, reconstruct, sliceRows, type Matrix } from '@latentkit/core';
import type { RunModelAnalysis } from '@latentkit/run/node';
import { imageGridPng, pngDataUri, type GridRow } from '@latentkit/viz';
import { esc, figure, htmlTable, type ReportSection } from '../report.js';

/** Denoising, inpainting and super-resolution: the lecture's uses, one corruption each. */
const CORRUPTIONS = ['noise:0.5', 'mask:0.25', 'downsample:2'] as const;
const SHOWN = 10;

/**
 * The report's restoration section: test digits corrupted (seeded), restored by every model that encodes
 * and decodes as g(f(corrupted)) — for PCA, projection onto its subspace — with PSNR over all test digits.
 * These models were trained on clean digits; `latentkit fit --corrupt …` trains one to undo a corruption.
 */
export async function restorationReport(analyses: readonly RunModelAnalysis[], test: Matrix, imageShape: readonly [number, number, number], seed: number): Promise<{ section: ReportSection; png: Uint8Array; rows: RestorationRow[] } | undefined> {
  const models = analyses.filter((a) => canReconstruct(a.reducer));
  if (models.length === 0) return undefined;
  const grid: GridRow[] = [];
  const rows: RestorationRow[] = [];
  for (const spec of CORRUPTIONS) {
    const corruption = parseCorruption(spec);
    const corrupted = corruptRows(test, corruption, { inputShape: imageShape, seed });
    const name = formatCorruption(corruption);
    grid.push({ label: `X, then corrupted (${name})`, images: sliceRows(test, 0, SHOWN) }, { images: sliceRows(corrupted, 0, SHOWN) });
    const row: RestorationRow = { corruption: name, input: psnr(mse(test, corrupted)), models: {} };
    for (const a of models) {
      const restored = await reconstruct(a.reducer, corrupted, 'restoration');
      row.models[a.dir] = psnr(mse(test, restored));
      grid.push({ label: `g∘f (${a.displayName}, d=${a.reducer.latentDim})`, images: copyRows(sliceRows(restored, 0, SHOWN)) });
    }
    rows.push(row);
  }
  const png = imageGridPng(grid, { imageShape: [...imageShape] as [number, number, number] });
  const header = ['corruption', 'corrupted input', ...models.map((a) => `${a.displayName} d=${a.reducer.latentDim}`)];
  const table = htmlTable(header, rows.map((r) => [r.corruption, r.input.toFixed(2), ...models.map((a) => r.models[a.dir]!.toFixed(2))]));
  return {
    png,
    rows,
    section: {
      id: 'restoration',
      heading: 'Denoising, inpainting, super-resolution',
      body:
        `<p>Test digits corrupted three ways — Gaussian noise (σ = 0.5, clipped to [0, 1]), a square hole over a quarter of the image, and 2× down-sampling then nearest up-sampling — and restored as g(f(corrupted)); for PCA that is projection onto its subspace, the classic baseline. PSNR in dB over all ${esc(test.rows)} test digits (higher is better). These models were trained on clean digits: <code>latentkit fit --corrupt noise:0.5</code> trains one to undo a corruption, and <code>latentkit restore</code> compares them.</p>` +
        table +
        figure(pngDataUri(png), `For each corruption: clean test digits, the corrupted ones, then each model's restoration`),
    },
  };
}

export interface RestorationRow {
  readonly corruption: string;
  /** PSNR of the corrupted input against the clean digits. */
  readonly input: number;
  /** PSNR of each model's restoration, by model folder. */
  readonly models: Record<string, number>;
}

/** The shown rows as their own matrix, so the full restoration can be freed. */
function copyRows(m: Matrix): Matrix {
  return { data: Float32Array.from(m.data), rows: m.rows, cols: m.cols };
}
