import { LatentkitError, decodeWith, encodeWith, requireCapability, type Matrix, type Reducer } from '@latentkit/core';
import { deflateCoder, entropyDecode, entropyEncode, type EntropyCoder } from './entropy.js';
import { readCompressedFile, writeCompressedFile, type CompressedHeader, type ModelReference } from './format.js';
import { dequantise, quantise, type UniformQuantiser } from './quantiser.js';

export interface CompressOptions {
  /** Where the model was read from, recorded in the header. */
  readonly modelSource?: string;
  /** The data the images came from, recorded in the header. */
  readonly data?: string;
  /** Default: DEFLATE (browser-safe); Node callers pass brotliCoder from './node' for fewer bits. */
  readonly coder?: EntropyCoder;
}

/** The coders a reader knows; the header's coder id picks one. Default: DEFLATE only. */
export interface DecompressOptions {
  readonly coders?: readonly EntropyCoder[];
  /** Names the file in error messages. */
  readonly source?: string;
}

/** The header's reference to a model. */
export function modelReference(model: Reducer, source?: string): ModelReference {
  return {
    kind: model.kind,
    latentDim: model.latentDim,
    inputDim: model.inputDim,
    inputShape: [...model.inputShape],
    parameterCount: model.parameterCount,
    ...(source !== undefined ? { source } : {}),
  };
}

/** Codes already computed (n × d) to a compressed file. */
export function compressCodes(codes: Matrix, quantiser: UniformQuantiser, model: ModelReference, options: CompressOptions = {}): Uint8Array {
  if (codes.cols !== model.latentDim) throw new LatentkitError('E_SHAPE', `codes have ${codes.cols} dimensions, the model ${model.latentDim}`);
  const coder = options.coder ?? deflateCoder;
  const symbols = quantise(quantiser, codes);
  const payload = entropyEncode(coder, symbols, codes.rows, codes.cols);
  return writeCompressedFile({ model, ...(options.data !== undefined ? { data: options.data } : {}), images: codes.rows, quantiser, coder: coder.id }, payload);
}

/**
 * Images (n × inputDim) to a compressed file: z = f(x), quantised and entropy-coded. The model must also
 * decode, or the file could never be read back.
 */
export async function compressImages(model: Reducer, x: Matrix, quantiser: UniformQuantiser, options: CompressOptions = {}): Promise<Uint8Array> {
  requireCapability(model, 'decode', 'compression');
  const codes = await encodeWith(model, x, 'compression');
  return compressCodes(codes, quantiser, modelReference(model, options.modelSource), options);
}

export interface DecodedCodes {
  readonly header: CompressedHeader;
  /** The quantised symbols, row-major n × d. */
  readonly symbols: Uint8Array;
  /** The dequantised codes ẑ (n × d). */
  readonly codes: Matrix;
}

/** A compressed file back to its symbols and dequantised codes (no model needed). */
export function decompressCodes(bytes: Uint8Array, options: DecompressOptions = {}): DecodedCodes {
  const source = options.source ?? 'compressed file';
  const coders = options.coders ?? [deflateCoder];
  const { header, payload } = readCompressedFile(bytes, source);
  const coder = coders.find((c) => c.id === header.coder);
  if (!coder) throw new LatentkitError('E_INPUT_FORMAT', `${source}: entropy coder "${header.coder}" is not available here (this reader has ${coders.map((c) => c.id).join(', ')})`);
  const symbols = entropyDecode(coder, payload, header.images, header.model.latentDim, source);
  return { header, symbols, codes: dequantise(header.quantiser, symbols, header.images) };
}

/** Refuses a model other than the one the header names (latent size, input size, parameter count). */
export function assertModelMatches(model: Reducer, ref: ModelReference, source = 'compressed file'): void {
  const mine = modelReference(model);
  const fields = ['kind', 'latentDim', 'inputDim', 'parameterCount'] as const;
  const differs = fields.find((f) => mine[f] !== ref[f]);
  if (differs) {
    throw new LatentkitError('E_SHAPE', `${source} was written by a ${ref.kind} model with d=${ref.latentDim}, ${ref.inputDim} inputs and ${ref.parameterCount} parameters${ref.source ? ` (${ref.source})` : ''}; the given model differs in ${differs} (${String(mine[differs])})`);
  }
}

/** A compressed file back to images x̂ = g(ẑ) with the model that wrote it. */
export async function decompressImages(model: Reducer, bytes: Uint8Array, options: DecompressOptions = {}): Promise<{ header: CompressedHeader; images: Matrix }> {
  requireCapability(model, 'decode', 'decompression');
  const { header, codes } = decompressCodes(bytes, options);
  assertModelMatches(model, header.model, options.source);
  return { header, images: await decodeWith(model, codes, 'decompression') };
}
