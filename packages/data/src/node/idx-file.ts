import { LatentkitError } from '@latentkit/core';
import { isGzip } from '../gzip.js';
import { IDX_MAX_HEADER_BYTES, idxLayout, idxSizeMismatch, parseRawIdx, type IdxLayout, type ParsedIdx } from '../idx.js';
import { checkMemory } from '../memory.js';
import { inflateFile } from './inflate-file.js';
import { defaultMaxDataBytes, readAll, readAt, withRegularFile, type RegularFile } from './read.js';

export interface ReadLimits {
  /** Refuse files whose planned memory exceeds this (default: defaultMaxDataBytes()). */
  maxBytes?: number;
}

/** Raw bytes plus their float32 copy: what loading the file holds at its peak. */
function plan(path: string, layout: IdxLayout, maxBytes: number): void {
  checkMemory(path, `IDX ${layout.dims.join('×')} ${layout.dtype}`, layout.totalBytes + layout.count * 4, maxBytes, layout.count);
}

/**
 * Reads and parses an IDX file, raw or gzipped. Only regular files are read; sizes come from the header
 * before the data: a raw file must be exactly that long, and inflation stops at that size.
 */
export async function readIdx(path: string, limits: ReadLimits = {}): Promise<ParsedIdx> {
  const maxBytes = limits.maxBytes ?? defaultMaxDataBytes();
  return withRegularFile(path, async (file: RegularFile) => {
    const head = await readAt(file, 0, IDX_MAX_HEADER_BYTES);
    if (isGzip(head)) {
      let inflated: IdxLayout | undefined;
      const raw = await inflateFile(file, {
        sizeFromPrefix: (prefix) => (inflated = idxLayout(prefix, path))?.totalBytes,
        beforeAllocate: () => plan(path, inflated!, maxBytes),
      });
      return parseRawIdx(raw, path, { copy: false });
    }
    const layout = idxLayout(head, path);
    if (layout) {
      const mismatch = idxSizeMismatch(layout, file.size);
      if (mismatch) throw new LatentkitError('E_INPUT_FORMAT', `${path}: ${mismatch}`);
      plan(path, layout, maxBytes);
    }
    // Without a layout the file is shorter than its header: parseRawIdx names the problem.
    return parseRawIdx(layout ? await readAll(file) : head, path, { copy: false });
  });
}
