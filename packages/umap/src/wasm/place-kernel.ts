import { PLACE_WASM_BASE64 } from './place-bytes.js';

/** The exports of place.wat (see its comments for the contract). */
export interface PlaceKernel {
  readonly memory: WebAssembly.Memory;
  seedRng(a: number, b: number, c: number, d: number): void;
  drawInt(n: number): number;
  sampleEdge(emb: number, cur: number, dim: number, other: number, negatives: number, rows: number, a: number, b: number, alpha: number): void;
}

/** A layout in kernel memory: rows × `dim` float32 at offset 0 (dim rounded up to even, zero-padded), the moving point at `cur`. */
export interface PlaceMemory {
  readonly kernel: PlaceKernel;
  readonly dim: number;
  readonly cur: number;
}

let kernel: PlaceKernel | undefined;
/** The layout whose padded copy is at offset 0, so consecutive rows of one model skip the copy. */
let resident: Float32Array | undefined;

export function placeKernel(): PlaceKernel {
  // Under 1 KB: synchronous compilation is allowed anywhere. Math.pow is imported so steps match JavaScript's.
  kernel ??= new WebAssembly.Instance(new WebAssembly.Module(decodeBase64(PLACE_WASM_BASE64)), { js: { pow: Math.pow } }).exports as unknown as PlaceKernel;
  return kernel;
}

/** The kernel holding `embedding` (rows × dim float32), copied in with each row padded to an even length. */
export function placeMemory(embedding: Float32Array, rows: number, dim: number): PlaceMemory {
  const k = placeKernel();
  const padded = (dim + 1) & ~1;
  const cur = rows * padded * 4 + 15 & ~15;
  const missing = cur + padded * 8 - k.memory.buffer.byteLength;
  if (missing > 0) k.memory.grow(Math.ceil(missing / 65536));
  if (resident !== embedding) {
    const target = new Float32Array(k.memory.buffer, 0, rows * padded);
    if (padded === dim) target.set(embedding.subarray(0, rows * dim));
    else for (let r = 0; r < rows; r++) {
      target.set(embedding.subarray(r * dim, (r + 1) * dim), r * padded);
      target[r * padded + dim] = 0;
    }
    resident = embedding;
  }
  return { kernel: k, dim: padded, cur };
}

/** Drops the kernel (its memory never shrinks) when it holds this layout, so a disposed model can be collected. */
export function releasePlaceKernelFor(embedding: Float32Array): void {
  if (resident !== embedding) return;
  kernel = undefined;
  resident = undefined;
}

/**
 * Sets the kernel's RNG to @latentkit/core's createRng(seed): xoshiro128** seeded by four splitmix32 draws
 * of floor(seed) ^ 0x5eed (see core's rng.ts; a test checks the two draw the same integers).
 */
export function seedKernelRng(k: Pick<PlaceKernel, 'seedRng'>, seed: number): void {
  let s = (Math.floor(seed) ^ 0x5eed) >>> 0;
  const next = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = next();
  const b = next(), c = next(), d = next();
  if ((a | b | c | d) === 0) a = 1;
  k.seedRng(a, b, c, d);
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
