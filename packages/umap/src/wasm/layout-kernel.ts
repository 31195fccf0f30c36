import { LAYOUT_WASM_BASE64 } from './layout-bytes.js';

/** The exports of layout.wat (see its comments for the contract). */
export interface LayoutKernel {
  seedRng(a: number, b: number, c: number, d: number): void;
  skipDraws(count: number): void;
  drawInt(n: number): number;
  setup(
    emb: number, dim: number, rows: number, edges: number, head: number, tail: number,
    perSample: number, nextSample: number, nextNegative: number, perNegative: number,
    a: number, b: number, attract: number, repel: number,
  ): void;
  epoch(n: number, alpha: number): void;
}

/** Where each array lies in the kernel's memory (byte offsets) and how large it is. */
export interface LayoutMemoryPlan {
  readonly embedding: number;
  readonly perSample: number;
  readonly nextSample: number;
  readonly nextNegative: number;
  readonly perNegative: number;
  readonly head: number;
  readonly tail: number;
  readonly bytes: number;
}

/**
 * The memory a layout of `rows` × `dim` float64 with `edges` edges needs: the embedding, four float64 and
 * two int32 arrays per edge (40 bytes an edge), each 16-byte aligned; nothing else.
 */
export function planLayoutMemory(rows: number, dim: number, edges: number): LayoutMemoryPlan {
  const align = (v: number) => (v + 15) & ~15;
  const embedding = 0;
  const perSample = align(rows * dim * 8);
  const nextSample = align(perSample + edges * 8);
  const nextNegative = align(nextSample + edges * 8);
  const perNegative = align(nextNegative + edges * 8);
  const head = align(perNegative + edges * 8);
  const tail = align(head + edges * 4);
  return { embedding, perSample, nextSample, nextNegative, perNegative, head, tail, bytes: tail + edges * 4 };
}

let compiled: Promise<WebAssembly.Module> | undefined;

/**
 * A fresh kernel instance with its own memory of `bytes`: one per fit, so the memory goes with the
 * instance when the fit drops it (WebAssembly memory never shrinks, so it is not kept for the next fit).
 * Compiled asynchronously, which browsers allow on the main thread at any size; Math.pow is imported so
 * the steps match JavaScript's.
 */
export async function instantiateLayoutKernel(bytes: number): Promise<{ kernel: LayoutKernel; memory: WebAssembly.Memory }> {
  compiled ??= WebAssembly.compile(decodeBase64(LAYOUT_WASM_BASE64));
  const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
  const instance = await WebAssembly.instantiate(await compiled, { js: { pow: Math.pow, memory } });
  return { kernel: instance.exports as unknown as LayoutKernel, memory };
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
