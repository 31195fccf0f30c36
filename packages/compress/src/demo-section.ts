import type { Matrix } from '@latentkit/core';
import type { EntropyCoder } from './entropy.js';
import { RD_TABLE_HEADER, rateDistortion, rdMarkdown, rdSvg, rdTableRows, type RdModel, type RdResult } from './rate-distortion.js';

export interface CompressionSection {
  readonly header: readonly string[];
  /** Table cells, one row per (model, b), then PNG and gzip. */
  readonly rows: (string | number)[][];
  readonly markdown: string;
  /** The rate–distortion figure. */
  readonly svg: string;
  readonly caption: string;
  readonly result: RdResult;
}

/**
 * A compression section for a report, from models already fitted (e.g. the demo's at d = 16 and d = 8): every
 * model × b ∈ {4, 6, 8} compressed through the file format and read back, beside PNG and gzip of the same
 * test images. Models that cannot decode must be left out by the caller (decide by capability).
 */
export async function compressionSection(
  models: readonly RdModel[],
  train: Matrix,
  test: Matrix,
  options: { imageShape: readonly [number, number, number]; bits?: readonly number[]; /** Pass brotliCoder from '@latentkit/compress/node' in Node. */ coder?: EntropyCoder },
): Promise<CompressionSection> {
  const result = await rateDistortion(models, train, test, options);
  const png = result.baselines[0]!;
  const best = result.rows.reduce((a, r) => (r.psnr > a.psnr ? r : a));
  return {
    header: RD_TABLE_HEADER,
    rows: rdTableRows(result),
    markdown: rdMarkdown(result),
    svg: rdSvg(result),
    caption:
      `Codes quantised per dimension to b bits (uniform over the training codes' range) and entropy-coded (${result.coder}), ${result.images} test images. ` +
      `PNG stores each image losslessly in ${png.bitsPerImage.toFixed(0)} bits; the best code here, ${best.model} (d=${best.latentDim}, b=${best.bits}), ` +
      `takes ${best.bitsPerImage.toFixed(0)} bits at ${best.psnr.toFixed(1)} dB.`,
    result,
  };
}
