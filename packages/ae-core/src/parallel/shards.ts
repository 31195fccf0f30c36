/**
 * Splits a batch's rows into `n` contiguous shards whose sizes differ by at most one (the first ones get
 * the extra rows). Fixed by (rows, n) alone, so the same worker count always sees the same shards.
 * Fewer rows than shards leaves the extra shards empty.
 */
export function splitShards(rows: Int32Array, n: number): Int32Array[] {
  const base = Math.floor(rows.length / n);
  const extra = rows.length % n;
  const out: Int32Array[] = [];
  let start = 0;
  for (let k = 0; k < n; k++) {
    const size = base + (k < extra ? 1 : 0);
    out.push(rows.subarray(start, start + size));
    start += size;
  }
  return out;
}

/**
 * The batch gradient from per-shard ones: Σ (n_k / n) g_k, summed shard by shard in order (a fixed order,
 * so the result depends only on the shards). Empty shards are skipped. Also used for the loss and state.
 */
export function combineShards(parts: readonly { readonly weight: number; readonly values: Float32Array }[], length: number): Float32Array {
  const out = new Float32Array(length);
  const total = parts.reduce((s, p) => s + p.weight, 0);
  for (const { weight, values } of parts) {
    if (weight === 0) continue;
    const f = weight / total;
    for (let i = 0; i < length; i++) out[i] = out[i]! + values[i]! * f;
  }
  return out;
}

/** Gathers the given rows of a row-major matrix into a fresh buffer. */
export function gatherRows(data: Float32Array, cols: number, rows: Int32Array): Float32Array {
  const buf = new Float32Array(rows.length * cols);
  for (let k = 0; k < rows.length; k++) buf.set(data.subarray(rows[k]! * cols, (rows[k]! + 1) * cols), k * cols);
  return buf;
}
