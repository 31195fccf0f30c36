import { gramKernel, reserveKernelMemory } from './wasm/gram-kernel.js';

/**
 * How a chunk's rows enter the Gram sums: as exact 8-bit integers, or centred float64. Byte mode on data only
 * partly checked (`unchecked`) checks every value as it packs it and reports a chunk that is not 8-bit.
 */
export type GramMode = { readonly kind: 'byte'; readonly scale: number; readonly unchecked?: boolean } | { readonly kind: 'centred'; readonly mean: Float64Array };

/** Consecutive rows of a data matrix (row-major, `rows`×`cols`). */
export interface GramChunkTask {
  readonly data: Float32Array;
  readonly rows: number;
  readonly cols: number;
  readonly mode: GramMode;
  /** The data is the caller's own copy, which an engine may transfer to a worker instead of copying again. */
  readonly owned?: boolean;
}

export interface GramChunk {
  /** Padded feature count: cols rounded up to a multiple of 4. */
  readonly dp: number;
  /** Σ x_a x_b over the chunk's rows, dp×dp row-major; only the upper triangle (b ≥ a) is valid. */
  readonly gram: Float64Array;
  /** Byte mode: column sums of the integer values (exact); centred mode: undefined. */
  readonly sums: Float64Array | undefined;
  /** Unchecked byte mode only: true when some value was not 8-bit at the mode's scale (the sums are then meaningless). */
  readonly notBytes?: boolean;
}

/** Samples per block handed to the kernel (measured for D = 784: bytes 512 beat 256 by ~5% once tile sums are flushed in SIMD, 1024 no better; bytes need a multiple of 16, floats of 2). */
export const BYTE_BLOCK_ROWS = 512;
const CENTRED_BLOCK_ROWS = 128;

/**
 * Kernel memory computeGramChunk grows to for `cols` features, whatever the mode (the larger of the two
 * layouts below), rounded up to whole WebAssembly pages.
 */
export function gramChunkKernelBytes(cols: number): number {
  const dp = Math.ceil(cols / 4) * 4;
  const layout = (width: number, packedBytes: number) => dp * width * packedBytes + dp * dp * 8 + width * cols * 4 + cols * 8;
  const bytes = Math.max(layout(BYTE_BLOCK_ROWS, 2), layout(CENTRED_BLOCK_ROWS, 8));
  return Math.ceil(bytes / 65536) * 65536 + 65536;
}

/** Bytes of one chunk's result: the dp×dp sums (and byte mode's column sums). */
export function gramChunkResultBytes(cols: number): number {
  const dp = Math.ceil(cols / 4) * 4;
  return dp * dp * 8 + cols * 8;
}

/**
 * Upper-triangle Gram sums of one chunk with the WebAssembly SIMD kernel. 8-bit data goes in as int16
 * (exact integer dot products); other data is centred by the given mean and summed in float64.
 * The result depends only on the chunk, never on which thread ran it.
 */
export function computeGramChunk(task: GramChunkTask): GramChunk {
  const chunk = gramChunkInKernel(task);
  return { ...chunk, gram: chunk.gram.slice() };
}

/**
 * computeGramChunk without the copy: `gram` is a view of the kernel's memory, valid only until the kernel's
 * next use on this thread (the inline covariance pass adds it at once and saves a dp×dp array per chunk).
 */
export function gramChunkInKernel(task: GramChunkTask): GramChunk {
  const { data, rows, cols, mode } = task;
  const dp = Math.ceil(cols / 4) * 4;
  const isByte = mode.kind === 'byte';
  const width = isByte ? BYTE_BLOCK_ROWS : CENTRED_BLOCK_ROWS;
  // Kernel memory: [feature-major block | dp×dp float64 sums | float32 source rows | int32 sums or float64 mean].
  const blockBytes = dp * width * (isByte ? 2 : 8);
  const accAt = blockBytes;
  const srcAt = accAt + dp * dp * 8;
  const extraAt = srcAt + width * cols * 4;
  const k = gramKernel();
  reserveKernelMemory(k, extraAt + cols * 8);
  const buffer = k.memory.buffer;
  new Uint8Array(buffer, 0, srcAt).fill(0);
  if (isByte) new Int32Array(buffer, extraAt, cols).fill(0);
  else new Float64Array(buffer, extraAt, cols).set(mode.mean);
  const src = new Float32Array(buffer, srcAt, width * cols);
  let notBytes = false;
  for (let start = 0; start < rows && !notBytes; start += width) {
    const count = Math.min(width, rows - start);
    // A short last block keeps zeros in its unused samples.
    if (count < width) new Uint8Array(buffer, 0, blockBytes).fill(0);
    src.set(data.subarray(start * cols, (start + count) * cols));
    if (mode.kind === 'byte') {
      if (k.packI16(srcAt, cols, count, width, mode.scale, 0, extraAt) === 1) k.gramI16(0, dp, width, accAt);
      // Data scanned in full is 8-bit throughout; data checked only in part may not be.
      else if (mode.unchecked) notBytes = true;
      else throw new Error('a chunk scanned as 8-bit data failed the 8-bit check');
    } else {
      k.packF64(srcAt, cols, count, width, extraAt, 0);
      k.gramF64(0, dp, width, accAt);
    }
  }
  const gram = new Float64Array(buffer, accAt, dp * dp);
  const sums = isByte ? Float64Array.from(new Int32Array(buffer, extraAt, cols)) : undefined;
  return notBytes ? { dp, gram, sums, notBytes } : { dp, gram, sums };
}
