import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { LatentkitError, encodeWith, mse, psnr, requireCapability, sliceRows, type Matrix } from '@latentkit/core';
import { brotliCoder, compressImages, decompressImages, deflateCoder, fitQuantiser, matrixToNpy, pixelBaselines } from '@latentkit/compress/node';
import { writeFileAtomic } from '@latentkit/node-fs';
import { imageGridPng } from '@latentkit/viz';
import { loadReducer, modelAndData, type CommandContext } from '../context.js';
import { checkOutputFile, parseIntFlag } from '../flags.js';
import { assertFolder } from '../run-facts.js';
import { addModelFlags } from './fit.js';
import { RD_DEFAULT_BITS, RD_LATENTS, runRd, type RdFlags } from './rd.js';

/** Readers know both coders; writers use Brotli (fewest bits, see @latentkit/compress's README). */
const CODERS = [brotliCoder, deflateCoder];

export interface CompressFlags {
  out: string;
  bits: string;
  data?: string;
  seed?: string;
}

/**
 * Compresses the test split: codes f(x) quantised per dimension to b bits over the range of the training
 * split's codes, entropy-coded into one file; prints bits per image beside PNG and gzip of the same pixels,
 * and the distortion of what decompress will give back.
 */
export async function runCompress(ctx: CommandContext, dir: string, flags: CompressFlags): Promise<void> {
  const bits = parseIntFlag('--bits', flags.bits, 1, 8);
  const out = await checkOutputFile('--out', flags.out, ctx.cwd);
  const { reducer, data } = await modelAndData(ctx, dir, flags, { capabilities: ['encode', 'decode'], for: 'compression' });
  try {
    ctx.progress.note(`encoding ${data.train.x.rows} training rows for the quantiser's ranges …`);
    const quantiser = fitQuantiser(await encodeWith(reducer, data.train.x, 'compression'), bits);
    const x = data.test.x;
    const file = await compressImages(reducer, x, quantiser, { coder: brotliCoder, modelSource: dir, data: data.spec });
    await writeFileAtomic(out, file);
    const { images } = await decompressImages(reducer, file, { coders: CODERS, source: flags.out });
    const err = mse(x, images);
    const bitsPerImage = (file.length * 8) / x.rows;
    const shape = data.test.imageShape;
    const baselines = shape && shape[2] === 1 ? pixelBaselines(x, [...shape] as [number, number, number]) : [];
    ctx.progress.stop();
    const lines = [
      `wrote ${flags.out}: ${x.rows} images of ${data.spec} (test split) in ${file.length.toLocaleString('en')} bytes, ${bitsPerImage.toFixed(1)} bits per image (d=${reducer.latentDim}, b=${bits})`,
      `reconstruction: MSE ${err.toFixed(5)}, PSNR ${psnr(err).toFixed(2)} dB`,
      ...baselines.map((b) => `${b.name}: ${b.bitsPerImage.toFixed(1)} bits per image, ${Number.isFinite(b.psnr) ? `PSNR ${b.psnr.toFixed(2)} dB` : 'lossless'}`),
    ];
    ctx.print(lines.join('\n'), { file: out, images: x.rows, bytes: file.length, latentDim: reducer.latentDim, bits, bitsPerImage, mse: err, psnr: psnr(err), baselines });
  } finally {
    reducer.dispose();
  }
}

export interface DecompressFlags {
  model: string;
  out: string;
  n?: string;
}

/** Reads a compressed file back into images with the model that wrote it: an .npy matrix or a PNG grid. */
export async function runDecompress(ctx: CommandContext, file: string, flags: DecompressFlags): Promise<void> {
  const ext = extname(flags.out).toLowerCase();
  if (ext !== '.npy' && ext !== '.png') throw new LatentkitError('E_OPTION', `--out ${flags.out}: expected a .npy or .png file`);
  const perRow = 20;
  const maxImages = parseIntFlag('--n', flags.n ?? '200', 1, 10_000);
  const out = await checkOutputFile('--out', flags.out, ctx.cwd);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(resolve(ctx.cwd, file)));
  } catch (e) {
    throw new LatentkitError('E_IO', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  await assertFolder(flags.model);
  const reducer = await loadReducer(ctx, flags.model);
  try {
    requireCapability(reducer, 'decode', 'decompression');
    const { header, images } = await decompressImages(reducer, bytes, { coders: CODERS, source: file });
    if (ext === '.npy') {
      await writeFileAtomic(out, matrixToNpy(images));
      ctx.print(`wrote ${flags.out}: ${images.rows} × ${images.cols} float32 reconstructions`, { file: out, rows: images.rows, cols: images.cols, header });
      return;
    }
    const shape = reducer.inputShape;
    if (shape.length !== 3) throw new LatentkitError('E_SHAPE', `${flags.model} takes vectors of ${reducer.inputDim}, not images: write --out x.npy instead`);
    const shown = sliceRows(images, 0, maxImages);
    await writeFileAtomic(out, imageGridPng(gridRows(shown, perRow), { imageShape: [shape[0]!, shape[1]!, shape[2]!] }));
    ctx.print(`wrote ${flags.out}: ${shown.rows} of ${images.rows} decompressed images, ${perRow} per row`, { file: out, shown: shown.rows, images: images.rows, header });
  } finally {
    reducer.dispose();
  }
}

function gridRows(m: Matrix, perRow: number) {
  return Array.from({ length: Math.ceil(m.rows / perRow) }, (_, r) => ({ images: sliceRows(m, r * perRow, (r + 1) * perRow) }));
}

/** Registers compress, decompress and rd (the rate–distortion sweep). */
export function addCompressCommands(program: Command, ctxOf: (cmd: Command) => CommandContext): void {
  program
    .command('compress')
    .description("compress the test images to a file: the model's codes quantised to b bits per dimension and entropy-coded; reports bits per image vs PNG and gzip, MSE and PSNR")
    .argument('<dir>', 'model folder (the reducer must encode and decode)')
    .requiredOption('--out <file>', 'compressed file to write')
    .option('--bits <b>', 'bits per latent dimension, 1 to 8', '8')
    .option('--data <source>', 'data source (default: the one the model was fitted on); its test split is compressed, its training split sets the quantiser ranges')
    .option('--seed <n>', 'split seed (default: the fit seed)')
    .action((dir: string, flags: CompressFlags, cmd: Command) => runCompress(ctxOf(cmd), dir, flags));

  program
    .command('decompress')
    .description('decode a compressed file with the model that wrote it')
    .argument('<file>', 'file written by compress')
    .requiredOption('--model <dir>', 'the model folder the file was compressed with')
    .requiredOption('--out <file>', 'x.npy (all reconstructions, float32) or x.png (a grid of images)')
    .option('--n <count>', 'images drawn in a .png grid', '200')
    .action((file: string, flags: DecompressFlags, cmd: Command) => runDecompress(ctxOf(cmd), file, flags));

  addModelFlags(
    program
      .command('rd')
      .description('rate–distortion sweep: fit each reducer at each d, compress the test split at each b; writes rd.json, rd.md and rd.svg')
      .option('--data <source>', 'mnist | fashion-mnist | idx:PATH | npy:PATH | csv:PATH', 'mnist')
      .requiredOption('--out <dir>', 'output folder')
      .option('--reducers <list>', 'comma-separated reducer kinds (default: every loaded reducer that encodes and decodes)')
      .option('--latents <list>', 'latent sizes d', RD_LATENTS.join(','))
      .option('--bits <list>', 'bits per dimension b', RD_DEFAULT_BITS)
      .option('--seed <n>', 'seed for the split and the fits', '0')
      .option('--train-size <n>', 'fit on the first n rows of the training split (default all)')
      .option('--force', 'replace an existing output folder (only once the new one is complete)'),
  ).action((flags: RdFlags, cmd: Command) => runRd(ctxOf(cmd), flags));
}
