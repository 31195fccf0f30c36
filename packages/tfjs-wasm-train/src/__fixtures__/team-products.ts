import * as tf from '@tensorflow/tfjs';
import { seededValues } from './backends.js';

export interface Product {
  a: number[];
  b: number[];
  transposeA: boolean;
  transposeB: boolean;
}

const size = (shape: number[]) => shape.reduce((p, d) => p * d, 1);

/** The product's values on the active backend, from seeded operands. */
export function multiply(c: Product, seed = 1): Float32Array {
  return tf.tidy(() => tf.matMul(tf.tensor(seededValues(size(c.a), seed), c.a), tf.tensor(seededValues(size(c.b), seed + 1), c.b), c.transposeA, c.transposeB).dataSync() as Float32Array);
}

export function sameBits(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

// Shapes at and above the team's 2²³ multiply-adds: odd sizes (a partial panel or row block on either side),
// each transpose, dense-ae's first layer and its weight gradient (transposed A: split by rows).
export const SHARED_PRODUCTS: Product[] = [
  { a: [128, 784], b: [784, 256], transposeA: false, transposeB: false },
  { a: [128, 784], b: [128, 256], transposeA: true, transposeB: false },
  { a: [128, 256], b: [784, 256], transposeA: false, transposeB: true },
  { a: [301, 297], b: [101, 301], transposeA: true, transposeB: true },
  { a: [65, 1000], b: [1000, 133], transposeA: false, transposeB: false },
  { a: [93, 700], b: [700, 157], transposeA: false, transposeB: false },
];
