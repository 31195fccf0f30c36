import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { registerWasmTrainingKernels } from '../index.js';
import { loadWasm, seededValues, valuesOn } from '../__fixtures__/backends.js';
import { gemmArithmetic, gemmKernelsFor } from './gemm-module.js';

/** C = A·B in float64, A (m×k) and B (k×n) row-major: the independent reference. */
function reference(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let t = 0; t < k; t++) s += a[i * k + t]! * b[t * n + j]!;
    c[i * n + j] = s;
  }
  return c;
}

/** Largest |got − want| over the largest |want| (1 when want is all zero). */
function relativeError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    err = Math.max(err, Math.abs(got[i]! - want[i]!));
    scale = Math.max(scale, Math.abs(want[i]!));
  }
  return err / (scale || 1);
}

const transpose = (x: Float32Array, rows: number, cols: number) => {
  const t = new Float32Array(x.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = x[r * cols + c]!;
  return t;
};

describe('the GEMM kernels on their own memory', () => {
  const memory = new WebAssembly.Memory({ initial: 16 });
  const kernels = gemmKernelsFor({ wasm: { asm: { memory } } })!;
  const heap = () => new Float32Array(memory.buffer);

  it('instantiate over an imported memory', () => {
    expect(kernels).toBeDefined();
    expect(['relaxed-fma', 'simd']).toContain(gemmArithmetic());
  });

  // Every remainder: rows beyond the 4-row blocks, a last panel of 1…7 columns, K of 1 and odd.
  for (const [m, k, n] of [[1, 1, 1], [4, 3, 8], [5, 7, 9], [9, 17, 15], [12, 33, 24], [3, 2, 7], [64, 40, 71]] as const) {
    for (const transposeA of [false, true]) {
      for (const transposeB of [false, true]) {
        it(`${m}×${k}·${k}×${n}${transposeA ? ', A transposed' : ''}${transposeB ? ', B transposed' : ''}`, () => {
          const a = seededValues(m * k, m + 10 * k);
          const b = seededValues(k * n, n + 7 * k);
          const panels = Math.ceil(n / 8) * 8 * k;
          // Layout: A, B, packed panels, C with a guard column on each row that must stay untouched.
          const [pa, pb, pp, pc] = [0, m * k, m * k + k * n, m * k + k * n + panels].map((f) => 64 + 4 * f);
          const ldc = n + 1;
          heap().set(transposeA ? transpose(a, m, k) : a, pa / 4);
          heap().set(transposeB ? transpose(b, k, n) : b, pb / 4);
          heap().fill(-7, pc / 4, pc / 4 + m * ldc);
          const [bK, bN] = transposeB ? [4, 4 * k] : [4 * n, 4];
          kernels.pack(pb, bK, bN, k, n, pp);
          const [aI, aK] = transposeA ? [4, 4 * m] : [4 * k, 4];
          kernels.gemm(pa, aI, aK, pp, pc, ldc, m, k, n, 0);
          const c = () => heap().subarray(pc / 4, pc / 4 + m * ldc);
          const read = () => {
            const got = new Float32Array(m * n);
            for (let i = 0; i < m; i++) {
              got.set(c().subarray(i * ldc, i * ldc + n), i * n);
              expect(c()[i * ldc + n]).toBe(-7);
            }
            return got;
          };
          const want = reference(a, b, m, k, n);
          expect(relativeError(read(), want)).toBeLessThan(1e-6);
          // Accumulating adds a second product to the first: 2·A·B.
          kernels.gemm(pa, aI, aK, pp, pc, ldc, m, k, n, 1);
          expect(relativeError(read(), want.map((v) => 2 * v))).toBeLessThan(1e-6);
        });
      }
    }
  }

  it('pads the last panel with zeros and leaves memory past it alone', () => {
    const k = 3;
    const n = 5;
    const b = seededValues(k * n, 3);
    heap().set(b, 16);
    heap().fill(9, 128, 128 + 8 * k + 4);
    kernels.pack(64, 4 * n, 4, k, n, 512);
    const panel = heap().subarray(128, 128 + 8 * k + 4);
    for (let t = 0; t < k; t++) {
      expect(Array.from(panel.subarray(8 * t, 8 * t + n))).toEqual(Array.from(b.subarray(t * n, t * n + n)));
      expect(Array.from(panel.subarray(8 * t + n, 8 * t + 8))).toEqual([0, 0, 0]);
    }
    expect(Array.from(panel.subarray(8 * k))).toEqual([9, 9, 9, 9]);
  });
});

describe('BatchMatMul on the GEMM', () => {
  beforeAll(async () => {
    await loadWasm();
    registerWasmTrainingKernels();
  });

  it('serves the wasm backend here (its heap is reachable)', () => {
    expect(gemmKernelsFor(tf.findBackend('wasm'))).toBeDefined();
  });

  const size = (shape: number[]) => shape.reduce((p, d) => p * d, 1);
  // Batched, broadcast from either side, a broadcast the loop leaves to the original kernel, and empty sizes.
  const cases: { a: number[]; b: number[]; tA?: boolean; tB?: boolean }[] = [
    { a: [130, 37], b: [37, 19] },
    { a: [37, 130], b: [19, 37], tA: true, tB: true },
    // A transposed with over 64 columns: multiplied in 8-row slices (13 rows: a partial last slice), batched.
    { a: [2, 21, 13], b: [2, 21, 70], tA: true },
    { a: [2, 3, 6, 5], b: [5, 9] },
    { a: [6, 5], b: [2, 5, 9] },
    { a: [3, 6, 5], b: [3, 9, 5], tB: true },
    { a: [2, 1, 6, 5], b: [1, 3, 5, 9] },
    { a: [4, 0], b: [0, 3] },
    { a: [0, 5], b: [5, 3] },
  ];
  for (const c of cases) {
    it(`a ${c.a}${c.tA ? 'ᵀ' : ''} · b ${c.b}${c.tB ? 'ᵀ' : ''} matches the cpu backend`, async () => {
      const a = seededValues(size(c.a), 11);
      const b = seededValues(size(c.b), 12);
      const build = () => tf.matMul(tf.tensor(a, c.a), tf.tensor(b, c.b), c.tA, c.tB);
      const [wasm] = await valuesOn('wasm', build);
      const [cpu] = await valuesOn('cpu', build);
      expect(wasm.length).toBe(cpu.length);
      expect(relativeError(wasm, cpu)).toBeLessThanOrEqual(1e-5);
    });
  }
});
