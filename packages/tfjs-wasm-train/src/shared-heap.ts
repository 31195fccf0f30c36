/** Pages a shared heap may grow to: wasm32's 4 GiB (a shared memory must declare its maximum). */
const MAX_PAGES = 65536;

function readLeb(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  let byte: number;
  do {
    byte = bytes[at++]!;
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, at];
}

function leb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return out;
}

/**
 * The module's bytes with its one defined memory made shared (limits flag 3, maximum 4 GiB), or undefined
 * when it has no such memory (imported, several, already shared). Code that uses no atomics runs unchanged on
 * a shared memory; what changes is that the memory can be posted to worker threads, which then work on the
 * same tensors in place.
 */
export function shareMemorySection(bytes: Uint8Array): Uint8Array | undefined {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) return undefined;
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at]!;
    const [size, body] = readLeb(bytes, at + 1);
    const end = body + size;
    if (id === 5) {
      const [count, limits] = readLeb(bytes, body);
      const flags = bytes[limits]!;
      if (count !== 1 || flags > 1) return undefined;
      const [initial, afterInitial] = readLeb(bytes, limits + 1);
      const afterLimits = flags === 1 ? readLeb(bytes, afterInitial)[1] : afterInitial;
      if (afterLimits !== end) return undefined;
      const content = [...leb(1), 3, ...leb(initial), ...leb(MAX_PAGES)];
      const section = [5, ...leb(content.length), ...content];
      const out = new Uint8Array(at + section.length + (bytes.length - end));
      out.set(bytes.subarray(0, at));
      out.set(section, at);
      out.set(bytes.subarray(end), at + section.length);
      return out;
    }
    at = end;
  }
  return undefined;
}

/** An emscripten module's imports (tfjs-backend-wasm's build): what tells its instantiation from others. */
function isEmscriptenImports(imports: unknown): boolean {
  const i = imports as { env?: unknown; wasi_snapshot_preview1?: unknown } | undefined;
  return typeof i?.env === 'object' && typeof i.wasi_snapshot_preview1 === 'object';
}

function bytesOf(source: unknown): Uint8Array | undefined {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  return undefined;
}

/**
 * Runs `start` (e.g. `() => tf.setBackend('wasm')`) so that the emscripten module it instantiates from bytes —
 * tfjs-backend-wasm's — gets a shared memory: a GEMM team's helper thread can then multiply tensors where
 * they lie. WebAssembly.instantiate is wrapped only while `start` runs; anything else instantiated meanwhile
 * passes through untouched, and so does the backend where shared memory is missing or its bytes do not have
 * the expected memory section (it then starts as usual, on a private heap).
 */
export async function withSharedWasmHeap<T>(start: () => Promise<T>): Promise<T> {
  if (typeof SharedArrayBuffer === 'undefined') return start();
  const original = WebAssembly.instantiate;
  const patched = function (this: unknown, source: unknown, imports?: WebAssembly.Imports) {
    const bytes = isEmscriptenImports(imports) ? bytesOf(source) : undefined;
    const shared = bytes && shareMemorySection(bytes);
    return (original as (s: unknown, i?: WebAssembly.Imports) => Promise<unknown>).call(this, shared ?? source, imports);
  };
  WebAssembly.instantiate = patched as typeof WebAssembly.instantiate;
  try {
    return await start();
  } finally {
    if (WebAssembly.instantiate === (patched as unknown)) WebAssembly.instantiate = original;
  }
}
