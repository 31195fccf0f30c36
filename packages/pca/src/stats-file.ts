import { LatentkitError } from '@latentkit/core';
import { checkPcaStats, type PcaStats } from './pca-stats.js';

/**
 * The on-disk form of PCA statistics: a safetensors file (https://github.com/huggingface/safetensors), so
 * any engine can write one per partition — Python's `safetensors.numpy.save_file`, or twenty lines of
 * struct.pack in a Spark or DuckDB UDF:
 *
 *   bytes 0–7   N, the header's length (unsigned 64-bit little-endian)
 *   bytes 8–8+N a UTF-8 JSON header (padded with spaces so the data starts at a multiple of 8):
 *               { "__metadata__": { "format": "latentkit-pca-stats", "version": "1", "n": "<rows summed>" },
 *                 "sum": { "dtype": "F64", "shape": [D],    "data_offsets": [0, 8·D] },
 *                 "xtx": { "dtype": "F64", "shape": [D, D], "data_offsets": [8·D, 8·D + 8·D²] } }
 *   then        the data: Σx (D values) and XᵀX (D×D, row-major), little-endian float64
 *
 * n is a decimal string because safetensors metadata values are strings. Statistics of shards merge by
 * adding n, Σx and XᵀX (`latentkit pca merge`).
 */
export const PCA_STATS_FORMAT = 'latentkit-pca-stats';
export const PCA_STATS_VERSION = '1';

export function encodePcaStats(stats: PcaStats): Uint8Array {
  const { n, D } = checkPcaStats(stats, 'PCA statistics to write');
  const sumBytes = 8 * D, xtxBytes = 8 * D * D;
  const header = {
    __metadata__: { format: PCA_STATS_FORMAT, version: PCA_STATS_VERSION, n: String(n) },
    sum: { dtype: 'F64', shape: [D], data_offsets: [0, sumBytes] },
    xtx: { dtype: 'F64', shape: [D, D], data_offsets: [sumBytes, sumBytes + xtxBytes] },
  };
  let json = JSON.stringify(header);
  while ((8 + json.length) % 8 !== 0) json += ' ';
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + sumBytes + xtxBytes);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  const at = 8 + head.length;
  stats.sum.forEach((v, i) => view.setFloat64(at + 8 * i, v, true));
  stats.xtx.forEach((v, i) => view.setFloat64(at + sumBytes + 8 * i, v, true));
  return out;
}

interface TensorEntry {
  readonly dtype: unknown;
  readonly shape: unknown;
  readonly data_offsets: unknown;
}

/** Reads a statistics file written by encodePcaStats or any safetensors writer; `name` is used in errors. */
export function decodePcaStats(bytes: Uint8Array, name: string): PcaStats {
  const bad = (why: string) => new LatentkitError('E_INPUT_FORMAT', `${name}: not a PCA statistics file (${why})`);
  if (bytes.length < 8) throw bad(`${bytes.length} bytes, shorter than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > bytes.length - 8 || headerLength > 100_000_000) throw bad(`its header length ${headerLength} exceeds the file`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength))) as Record<string, unknown>;
  } catch {
    throw bad('its header is not UTF-8 JSON');
  }
  if (!header || typeof header !== 'object') throw bad('its header is not a JSON object');
  const meta = header.__metadata__ as Record<string, unknown> | undefined;
  if (meta?.format !== PCA_STATS_FORMAT) throw bad(`its __metadata__.format is ${JSON.stringify(meta?.format)}, expected "${PCA_STATS_FORMAT}"`);
  if (meta.version !== PCA_STATS_VERSION) throw bad(`version ${JSON.stringify(meta.version)}; this latentkit reads version ${PCA_STATS_VERSION}`);
  const n = typeof meta.n === 'string' && /^\d+$/.test(meta.n) ? Number(meta.n) : NaN;
  if (!Number.isSafeInteger(n)) throw bad(`__metadata__.n is ${JSON.stringify(meta.n)}, expected a whole number as a string`);
  const dataStart = 8 + headerLength;
  const dataBytes = bytes.length - dataStart;
  const read = (key: string, shape: (D: number) => number[], D?: number): { values: Float64Array; D: number } => {
    const entry = header[key] as TensorEntry | undefined;
    if (!entry || typeof entry !== 'object') throw bad(`it has no "${key}" tensor`);
    if (entry.dtype !== 'F64') throw bad(`"${key}" is ${JSON.stringify(entry.dtype)}, expected F64`);
    const dims = entry.shape;
    if (!Array.isArray(dims) || !dims.every((d) => Number.isSafeInteger(d) && d >= 1)) throw bad(`"${key}" has an invalid shape`);
    const features = D ?? (dims[0] as number);
    const expected = shape(features);
    if (dims.length !== expected.length || dims.some((d, i) => d !== expected[i])) throw bad(`"${key}" has shape [${dims.join(', ')}], expected [${expected.join(', ')}]`);
    const offsets = entry.data_offsets;
    const count = expected.reduce((a, b) => a * b, 1);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) throw bad(`"${key}" has invalid data_offsets`);
    const [begin, end] = offsets as [number, number];
    if (end - begin !== 8 * count || end > dataBytes) throw bad(`"${key}" data_offsets [${begin}, ${end}] do not hold ${count} float64 values within the file`);
    const values = new Float64Array(count);
    for (let i = 0; i < count; i++) values[i] = view.getFloat64(dataStart + begin + 8 * i, true);
    return { values, D: features };
  };
  const sum = read('sum', (D) => [D]);
  const xtx = read('xtx', (D) => [D, D], sum.D);
  return checkPcaStats({ n, D: sum.D, sum: sum.values, xtx: xtx.values }, name);
}
