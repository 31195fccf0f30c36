import { describe, expect, it } from 'vitest';
import { shareMemorySection, withSharedWasmHeap } from './shared-heap.js';

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
// Exports memory 0 as "m".
const EXPORT_MEMORY = [0x07, 0x05, 0x01, 0x01, 0x6d, 0x02, 0x00];

/** A module defining one memory with these limits (flags 0: initial only; 1: initial and maximum). */
function moduleWithMemory(limits: number[]): Uint8Array<ArrayBuffer> {
  return Uint8Array.from([...HEADER, 0x05, limits.length + 1, 0x01, ...limits, ...EXPORT_MEMORY]);
}

function memoryOf(bytes: Uint8Array): WebAssembly.Memory {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>));
  return instance.exports.m as WebAssembly.Memory;
}

describe('shareMemorySection', () => {
  it('makes a defined memory shared, keeping its initial size, with or without a maximum', () => {
    for (const limits of [[0x00, 0x02], [0x01, 0x03, 0x10], [0x00, 0x80, 0x02]]) {
      const before = memoryOf(moduleWithMemory(limits));
      expect(before.buffer instanceof SharedArrayBuffer).toBe(false);
      const shared = shareMemorySection(moduleWithMemory(limits))!;
      const after = memoryOf(shared);
      expect(after.buffer instanceof SharedArrayBuffer).toBe(true);
      expect(after.buffer.byteLength).toBe(before.buffer.byteLength);
      // It can grow past the original maximum: a shared memory declares wasm32's 4 GiB.
      after.grow(20);
      expect(after.buffer.byteLength).toBe(before.buffer.byteLength + 20 * 65536);
    }
  });

  it('leaves modules alone that import their memory, define none, or are not wasm', () => {
    const importsMemory = Uint8Array.from([...HEADER, 0x02, 0x0a, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x6d, 0x02, 0x00, 0x01]);
    expect(WebAssembly.validate(importsMemory)).toBe(true);
    expect(shareMemorySection(importsMemory)).toBeUndefined();
    expect(shareMemorySection(Uint8Array.from(HEADER))).toBeUndefined();
    expect(shareMemorySection(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]))).toBeUndefined();
    // Already shared: nothing to do.
    expect(shareMemorySection(moduleWithMemory([0x03, 0x01, 0x02]))).toBeUndefined();
  });
});

describe('withSharedWasmHeap', () => {
  it('shares only an emscripten module instantiated from bytes while it runs, then restores instantiate', async () => {
    const original = WebAssembly.instantiate;
    const emscriptenImports = { env: {}, wasi_snapshot_preview1: {} };
    const [inside, other] = await withSharedWasmHeap(async () => [
      await WebAssembly.instantiate(moduleWithMemory([0x00, 0x01]), emscriptenImports),
      await WebAssembly.instantiate(moduleWithMemory([0x00, 0x01]), {}),
    ]);
    expect((inside!.instance.exports.m as WebAssembly.Memory).buffer instanceof SharedArrayBuffer).toBe(true);
    expect((other!.instance.exports.m as WebAssembly.Memory).buffer instanceof SharedArrayBuffer).toBe(false);
    expect(WebAssembly.instantiate).toBe(original);
    const after = await WebAssembly.instantiate(moduleWithMemory([0x00, 0x01]), emscriptenImports);
    expect((after.instance.exports.m as WebAssembly.Memory).buffer instanceof SharedArrayBuffer).toBe(false);
  });

  it('restores instantiate when the start fails', async () => {
    const original = WebAssembly.instantiate;
    await expect(withSharedWasmHeap(() => Promise.reject(new Error('no backend')))).rejects.toThrow('no backend');
    expect(WebAssembly.instantiate).toBe(original);
  });
});
