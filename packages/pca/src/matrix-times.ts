import { gramKernel, releaseLargeKernelMemory, reserveKernelMemory } from './wasm/gram-kernel.js';

/** Bytes of C's rows copied into kernel memory at once: C itself may be far larger than the kernel should grow. */
const ROW_BLOCK_BYTES = 4 * 2 ** 20;

/**
 * C (rows×cols, row-major float64) times Y (cols×l, row-major), by the WebAssembly SIMD kernel: C goes
 * through kernel memory a block of rows at a time, Y once (padded to an even width). Every entry is summed
 * over j in order, one product at a time, exactly as a plain loop would: the result does not depend on the blocking.
 */
export function matrixTimes(c: Float64Array, rows: number, cols: number, y: Float64Array, l: number): Float64Array {
  const lp = l + (l % 2);
  const blockRows = Math.max(1, Math.min(rows, Math.floor(ROW_BLOCK_BYTES / (8 * cols))));
  // Kernel memory: [Y padded, cols×lp | a block of C's rows | their products, blockRows×lp].
  const srcAt = cols * lp * 8;
  const outAt = srcAt + blockRows * cols * 8;
  const kernel = gramKernel();
  reserveKernelMemory(kernel, outAt + blockRows * lp * 8);
  const buffer = kernel.memory.buffer;
  const padded = new Float64Array(buffer, 0, cols * lp);
  if (lp === l) padded.set(y.subarray(0, cols * l));
  else for (let j = 0; j < cols; j++) {
    padded.set(y.subarray(j * l, (j + 1) * l), j * lp);
    padded[j * lp + l] = 0;
  }
  const src = new Float64Array(buffer, srcAt, blockRows * cols);
  const products = new Float64Array(buffer, outAt, blockRows * lp);
  const out = new Float64Array(rows * l);
  for (let start = 0; start < rows; start += blockRows) {
    const count = Math.min(blockRows, rows - start);
    src.set(c.subarray(start * cols, (start + count) * cols));
    kernel.rowsTimesF64(srcAt, cols, count, 0, lp, outAt);
    if (lp === l) out.set(products.subarray(0, count * l), start * l);
    else for (let r = 0; r < count; r++) out.set(products.subarray(r * lp, r * lp + l), (start + r) * l);
  }
  releaseLargeKernelMemory();
  return out;
}
