import { assertFinite, type Matrix } from '@latentkit/core';
import { gramKernel, reserveKernelMemory } from './wasm/gram-kernel.js';

/**
 * Detects 8-bit data: every value is an integer 0..255 divided by `scale` (255 for pixels/255, 1 for raw
 * bytes). Such data lets the covariance pass sum exact integer products (the kernel's int16 dot products).
 * Returns the scale, or undefined when the data is anything else.
 */
export function detectByteScale(x: Matrix): number | undefined {
  for (const scale of BYTE_SCALES) if (byteScaledPrefix(x.data, scale) === x.data.length) return scale;
  return undefined;
}

/**
 * What a fit learns from its one scan of the data: its byte scale (undefined when not 8-bit). Checking
 * finiteness and the byte scale in the same pass saves the fit a second read of every value.
 */
export interface DataScan {
  readonly byteScale: number | undefined;
  /**
   * Set by probeData when only the first values were read and they looked 8-bit at `byteScale`: the
   * covariance pass checks the rest as it packs them; anything else must call completeScan first.
   */
  readonly partial?: { readonly what: string };
}

/** Values probeData reads: enough to turn away most data that is not 8-bit, few enough to cost nothing. */
const PROBE_VALUES = 2 ** 16;

/**
 * scanData for a fit whose covariance pass can check the data itself: when the first values look 8-bit, only
 * they are read now (the pass checks the rest as it packs them, so the data is not read twice); otherwise
 * the whole scan runs at once, with its E_INPUT_VALUE for a non-finite value.
 */
export function probeData(x: Matrix, what: string): DataScan {
  if (x.data.length <= PROBE_VALUES) return scanData(x, what);
  const prefix = x.data.subarray(0, PROBE_VALUES);
  for (const scale of BYTE_SCALES) if (byteScaledPrefix(prefix, scale) === PROBE_VALUES) return { byteScale: scale, partial: { what } };
  return scanData(x, what);
}

/** A scan that read every value: a partial one (probeData) is finished by scanData. */
export function completeScan(x: Matrix, scan: DataScan): DataScan {
  return scan.partial ? scanData(x, scan.partial.what) : scan;
}

/**
 * Throws as core's assertFinite does (E_INPUT_VALUE naming `what`, the row and column) on a non-finite
 * value, and returns detectByteScale's answer, reading most data once: a value that passes a byte check is
 * finite, so only what follows the last byte check's first failure is checked for finiteness alone.
 */
export function scanData(x: Matrix, what: string): DataScan {
  const d = x.data;
  let checked = 0;
  for (const scale of BYTE_SCALES) {
    const passed = byteScaledPrefix(d, scale);
    if (passed === d.length) return { byteScale: scale };
    checked = Math.max(checked, passed);
  }
  for (let i = checked; i < d.length; i++) {
    // The first non-finite value: assertFinite rescans to throw its usual message.
    if (!Number.isFinite(d[i]!)) assertFinite(x, what);
  }
  return { byteScale: undefined };
}

const BYTE_SCALES = [255, 1] as const;
/** Values copied into kernel memory per check: small next to the data, large enough to amortise the call. */
const SCAN_BLOCK_VALUES = 2 ** 18;

/**
 * How many leading values are integers 0..255 divided by `scale`, exactly as float32 holds them (NaN,
 * infinities, negatives and values past 255/scale fail; −0 passes as 0), checked by the WebAssembly SIMD
 * kernel a block at a time.
 */
function byteScaledPrefix(d: Float32Array, scale: number): number {
  const kernel = gramKernel();
  const blockValues = Math.min(SCAN_BLOCK_VALUES, d.length);
  reserveKernelMemory(kernel, blockValues * 4);
  const block = new Float32Array(kernel.memory.buffer, 0, blockValues);
  for (let start = 0; start < d.length; start += blockValues) {
    const count = Math.min(blockValues, d.length - start);
    block.set(d.subarray(start, start + count));
    const passed = kernel.byteScaledPrefix(0, count, scale);
    if (passed < count) return start + passed;
  }
  return d.length;
}
