import { LatentkitError, encodeWith, mse, psnr, requireCapability, decodeWith, type Matrix, type Reducer } from '@latentkit/core';
import { rateDistortionSvg, type RatePoint } from '@latentkit/viz';
import { compressCodes, decompressImages, modelReference } from './codec.js';
import { pixelBaselines, type PixelBaseline } from './baselines.js';
import { checkBits, fitQuantiser } from './quantiser.js';
import { deflateCoder, type EntropyCoder } from './entropy.js';

/** A fitted model to measure, under the name the table and the plot give it. */
export interface RdModel {
  readonly name: string;
  readonly reducer: Reducer;
  /**
   * The model's codes of the same train and test rows, when the caller already has them (the demo's analysis
   * does): they are used instead of encoding again. Their shapes must match the rows and latentDim.
   */
  readonly codes?: { readonly train: Matrix; readonly test: Matrix };
}

export interface RdRow {
  readonly model: string;
  readonly latentDim: number;
  readonly bits: number;
  /** The whole compressed file (header with the quantiser's ranges included), per image. */
  readonly bitsPerImage: number;
  /** The entropy-coded symbols alone, per image: what the header costs is the difference. */
  readonly payloadBitsPerImage: number;
  /** d·b: the symbols stored raw, per image. */
  readonly rawBitsPerImage: number;
  readonly mse: number;
  readonly psnr: number;
  /** PSNR of g(f(x)) without quantisation: the most any b can reach. */
  readonly psnrUnquantised: number;
}

export interface RdResult {
  readonly rows: RdRow[];
  readonly baselines: PixelBaseline[];
  readonly images: number;
  /** The entropy coder's id. */
  readonly coder: string;
}

export const DEFAULT_RD_BITS: readonly number[] = [4, 6, 8];

/**
 * Bits per image and PSNR of every (model, b): the quantiser is fitted to the training codes, the test images
 * are compressed to a file and read back through it (decompress(compress(x))), so the rate counts every byte
 * a reader needs besides the model. The pixel baselines are measured on the same test images.
 */
export interface RdOptions {
  readonly bits?: readonly number[];
  /** Default DEFLATE; Node callers pass brotliCoder from '@latentkit/compress/node'. */
  readonly coder?: EntropyCoder;
}

/**
 * One model's rows: the quantiser is fitted to the training codes for each b, the test images are compressed
 * to a file and read back through it (decompress(compress(x))), so the rate counts every byte a reader needs
 * besides the model.
 */
export async function measureModel(model: RdModel, train: Matrix, test: Matrix, options: RdOptions = {}): Promise<RdRow[]> {
  const bitsList = (options.bits ?? DEFAULT_RD_BITS).map((b) => checkBits(b, 'rate–distortion bits'));
  const { name, reducer } = model;
  requireCapability(reducer, 'decode', 'rate–distortion');
  const trainCodes = await codesOf(model, 'train', train);
  const testCodes = await codesOf(model, 'test', test);
  const psnrUnquantised = psnr(mse(test, await decodeWith(reducer, testCodes, 'rate–distortion')));
  const coder = options.coder;
  const rows: RdRow[] = [];
  for (const bits of bitsList) {
    const file = compressCodes(testCodes, fitQuantiser(trainCodes, bits), modelReference(reducer), coder ? { coder } : {});
    const { images } = await decompressImages(reducer, file, coder ? { coders: [coder] } : {});
    const err = mse(test, images);
    rows.push({
      model: name,
      latentDim: reducer.latentDim,
      bits,
      bitsPerImage: (file.length * 8) / test.rows,
      payloadBitsPerImage: (payloadBytesOf(file) * 8) / test.rows,
      rawBitsPerImage: reducer.latentDim * bits,
      mse: err,
      psnr: psnr(err),
      psnrUnquantised,
    });
  }
  return rows;
}

/** The caller's codes of these rows when given (checked against them), else the reducer's. */
async function codesOf(model: RdModel, part: 'train' | 'test', x: Matrix): Promise<Matrix> {
  const given = model.codes?.[part];
  if (!given) return encodeWith(model.reducer, x, 'rate–distortion');
  if (given.rows !== x.rows || given.cols !== model.reducer.latentDim) {
    throw new LatentkitError('E_SHAPE', `${model.name}: ${part} codes given for rate–distortion are ${given.rows}×${given.cols}, the ${x.rows} ${part} rows at d=${model.reducer.latentDim} need ${x.rows}×${model.reducer.latentDim}`);
  }
  return given;
}

/** Every model's rows (see measureModel) and the PNG/gzip baselines of the same test images. */
export async function rateDistortion(
  models: readonly RdModel[],
  train: Matrix,
  test: Matrix,
  options: RdOptions & { imageShape: readonly [number, number, number] },
): Promise<RdResult> {
  if (models.length === 0) throw new LatentkitError('E_EMPTY', 'rate–distortion needs at least one model');
  const rows: RdRow[] = [];
  for (const m of models) rows.push(...(await measureModel(m, train, test, options)));
  return { rows, baselines: pixelBaselines(test, options.imageShape), images: test.rows, coder: options.coder?.id ?? deflateCoder.id };
}

/** The payload's length, read back from the header the writer put in front of it. */
function payloadBytesOf(file: Uint8Array): number {
  const headerBytes = new DataView(file.buffer, file.byteOffset, file.byteLength).getUint32(5, true);
  return file.length - 9 - headerBytes;
}

export const RD_TABLE_HEADER: readonly string[] = ['model', 'd', 'b', 'bits/image', 'payload bits/image', 'd·b', 'MSE', 'PSNR dB', 'PSNR dB unquantised'];

/** The table as rows of cells (the baselines last, with d and b empty): for HTML or Markdown. */
export function rdTableRows(result: RdResult): (string | number)[][] {
  return [
    ...result.rows.map((r) => [r.model, r.latentDim, r.bits, round(r.bitsPerImage, 1), round(r.payloadBitsPerImage, 1), r.rawBitsPerImage, sig(r.mse), round(r.psnr, 2), round(r.psnrUnquantised, 2)]),
    ...result.baselines.map((b) => [b.name, '', '', round(b.bitsPerImage, 1), round(b.bitsPerImage, 1), '', sig(b.mse), Number.isFinite(b.psnr) ? round(b.psnr, 2) : '∞ (lossless)', '']),
  ];
}

export function rdMarkdown(result: RdResult): string {
  const line = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(RD_TABLE_HEADER), line(RD_TABLE_HEADER.map(() => '---')), ...rdTableRows(result).map(line)].join('\n') + '\n';
}

/** The rate–distortion figure: one colour per model, PNG and gzip as reference lines. */
export function rdSvg(result: RdResult, title?: string): string {
  const names = [...new Set(result.rows.map((r) => r.model))];
  return rateDistortionSvg({
    models: names.map((label) => ({
      label,
      points: result.rows.filter((r) => r.model === label).map((r): RatePoint => ({ latentDim: r.latentDim, bits: r.bits, bitsPerImage: r.bitsPerImage, psnr: r.psnr })),
    })),
    references: result.baselines.map((b) => ({ label: b.name, bitsPerImage: b.bitsPerImage })),
    ...(title !== undefined ? { title } : {}),
  });
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** Three significant digits: MSEs run from 1e-9 (8-bit rounding) to 0.1. */
function sig(v: number): number {
  return Number(v.toPrecision(3));
}
