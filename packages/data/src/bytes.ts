/** Byte-level helpers shared by the binary parsers. */

/** Accepts the buffer shapes browsers and Node hand out and returns a Uint8Array view (no copy). */
export function toBytes(input: Uint8Array | ArrayBuffer): Uint8Array {
  return input instanceof Uint8Array ? input : new Uint8Array(input);
}

/** A DataView over exactly the bytes of `bytes` (Node Buffers often sit inside a larger pool). */
export function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** True on little-endian hosts (all current browsers and Node platforms), where typed-array views match NPY's "<" order. */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** "60000×28×28" — the way shapes appear in error messages. */
export function formatShape(dims: readonly number[]): string {
  return dims.length === 0 ? '()' : dims.join('×');
}

/** Product of dimensions; Infinity when it cannot be represented exactly, so callers can refuse it. */
export function shapeSize(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return Number.isSafeInteger(n) ? n : Infinity;
}
