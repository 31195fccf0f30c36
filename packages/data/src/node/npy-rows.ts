import { LatentkitError, throwIfAborted, type ImageShape, type RowBatch, type RowBatchSource } from '@latentkit/core';
import { formatShape, HOST_LITTLE_ENDIAN, shapeSize } from '../bytes.js';
import { isGzip } from '../gzip.js';
import { decodeNpyValues, NPY_ITEM_SIZE, NPY_MAX_HEADER_BYTES, npyLayout, npySizeMismatch, parseNpy, type NpyLayout } from '../npy.js';
import { resolveBatchRows } from '../rows/batch-size.js';
import { datasetNameFromPath } from './files.js';
import { ioError, openRegularFile, readAt, type RegularFile, withRegularFile } from './read.js';

/**
 * An .npy file as a row-batch source: the header is read and checked against the file's size when the
 * source is opened; each pass then reads `batchRows` rows at a time from the file handle, so a pass holds
 * one batch's raw bytes and its float32 copy, never the whole array. Gzipped files cannot be read by offset
 * and are refused (gunzip them first, or load them whole with loadNpyFile).
 */
export async function openNpyRowSource(path: string, options: { imageShape?: ImageShape } = {}): Promise<RowBatchSource> {
  const layout = await withRegularFile(path, async (file) => {
    const head = await readAt(file, 0, NPY_MAX_HEADER_BYTES + 12);
    if (isGzip(head)) {
      throw new LatentkitError('E_INPUT_FORMAT', `${path}: a gzipped NPY file cannot be read in batches; gunzip it first`);
    }
    const found = npyLayout(head, path);
    if (!found) parseNpy(head, path); // throws the precise "truncated header" line
    const mismatch = npySizeMismatch(found!, file.size);
    if (mismatch) throw new LatentkitError('E_INPUT_FORMAT', `${path}: ${mismatch}`);
    return found!;
  });
  const { shape } = layout;
  if (shape.length < 2 || shape.length > 4) {
    throw new LatentkitError('E_SHAPE', `${path}: NPY array of shape ${formatShape(shape)} is not 2-D (n, d), 3-D (n, h, w) or 4-D (n, h, w, c)`);
  }
  const rows = shape[0]!;
  const cols = shapeSize(shape.slice(1));
  const inferred: ImageShape | undefined = shape.length === 3 ? [shape[1]!, shape[2]!, 1] : shape.length === 4 ? [shape[1]!, shape[2]!, shape[3]!] : undefined;
  const imageShape = options.imageShape ?? inferred;
  const name = datasetNameFromPath(path);
  return {
    name,
    cols,
    rows,
    ...(imageShape ? { imageShape } : {}),
    batches: (opts = {}) => npyBatches(path, layout, cols, resolveBatchRows(opts.batchRows, cols, path), opts.signal),
  };
}

async function* npyBatches(path: string, layout: NpyLayout, cols: number, batchRows: number, signal?: AbortSignal): AsyncIterable<RowBatch> {
  const rows = layout.shape[0]!;
  const rowBytes = cols * NPY_ITEM_SIZE[layout.kind];
  // Little-endian float32 is already what a batch holds: read it straight into the batch (one pass over the
  // bytes instead of a read plus a copy; the file offset need not be aligned, only the array is).
  const direct = layout.kind === 'f4' && HOST_LITTLE_ENDIAN;
  // Each pass reopens the file (checked as a regular file again) and closes it when the pass ends or is abandoned.
  const file = await openRegularFile(path);
  try {
    if (file.size !== layout.totalBytes) throw new LatentkitError('E_IO', `cannot read ${path}: it changed size since it was opened`);
    for (let offset = 0; offset < rows; offset += batchRows) {
      throwIfAborted(signal, `reading ${path}`);
      const n = Math.min(batchRows, rows - offset);
      const position = layout.dataOffset + offset * rowBytes;
      const data = direct ? await readFloat32At(file, position, n * cols) : decodeNpyValues(await readAt(file, position, n * rowBytes), layout.kind, n * cols);
      const bad = firstNonFinite(data);
      if (bad >= 0) {
        const r = Math.floor(bad / cols);
        throw new LatentkitError('E_INPUT_VALUE', `${path}: non-finite value (${data[bad]}) at row ${offset + r}, column ${bad - r * cols}`);
      }
      yield { x: { data, rows: n, cols }, offset };
    }
  } finally {
    await file.fh.close().catch(() => undefined);
  }
}

/** `count` float32 values read from `position` straight into a new array (the file holds at least that many bytes). */
async function readFloat32At(file: RegularFile, position: number, count: number): Promise<Float32Array> {
  const out = new Float32Array(count);
  const bytes = new Uint8Array(out.buffer);
  let got = 0;
  while (got < bytes.length) {
    const { bytesRead } = await file.fh.read(bytes, got, bytes.length - got, position + got).catch((e: unknown) => {
      throw ioError(file.path, e);
    });
    if (bytesRead === 0) throw new LatentkitError('E_IO', `cannot read ${file.path}: it shrank while being read`);
    got += bytesRead;
  }
  return out;
}

/**
 * Index of the first NaN or ±Inf, or −1 (v − v is 0 exactly for finite v). Eight values are tested at once —
 * their sum of v − v is non-zero exactly when one of them is not finite — then the block holding one is
 * searched value by value: half the time of a plain scan on a batch.
 */
export function firstNonFinite(data: Float32Array): number {
  const n = data.length;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const a = data[i]!, b = data[i + 1]!, c = data[i + 2]!, d = data[i + 3]!;
    const e = data[i + 4]!, f = data[i + 5]!, g = data[i + 6]!, h = data[i + 7]!;
    if (a - a + (b - b) + (c - c) + (d - d) + (e - e + (f - f) + (g - g) + (h - h)) !== 0) break;
  }
  for (; i < n; i++) if (data[i]! - data[i]! !== 0) return i;
  return -1;
}
