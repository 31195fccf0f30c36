import { LatentkitError } from '@latentkit/core';
import { isGzip } from '../gzip.js';
import { checkMemory } from '../memory.js';
import { NPY_MAX_HEADER_BYTES, npyLayout, npySizeMismatch, parseNpy, type NpyLayout, type ParsedNpy } from '../npy.js';
import type { ReadLimits } from './idx-file.js';
import { inflateFile } from './inflate-file.js';
import { defaultMaxDataBytes, readAll, readAt, withRegularFile } from './read.js';

/** Raw bytes plus the float32 copy parseNpy makes: what loading the file holds at its peak. */
function plan(path: string, layout: NpyLayout, maxBytes: number): void {
  checkMemory(path, `NPY array ${layout.shape.join('×')} <${layout.kind}`, layout.totalBytes + layout.count * 4, maxBytes, layout.count);
}

/**
 * Reads and parses an .npy file, raw or gzipped. Only regular files are read; sizes come from the header
 * before the data: a raw file must be exactly that long, and inflation stops at that size.
 */
export async function readNpy(path: string, limits: ReadLimits = {}): Promise<ParsedNpy> {
  const maxBytes = limits.maxBytes ?? defaultMaxDataBytes();
  return withRegularFile(path, async (file) => {
    const head = await readAt(file, 0, NPY_MAX_HEADER_BYTES + 12);
    if (isGzip(head)) {
      let inflated: NpyLayout | undefined;
      const raw = await inflateFile(file, {
        sizeFromPrefix: (prefix) => (inflated = npyLayout(prefix, path))?.totalBytes,
        beforeAllocate: () => plan(path, inflated!, maxBytes),
      });
      return parseNpy(raw, path);
    }
    const layout = npyLayout(head, path);
    if (layout) {
      const mismatch = npySizeMismatch(layout, file.size);
      if (mismatch) throw new LatentkitError('E_INPUT_FORMAT', `${path}: ${mismatch}`);
      plan(path, layout, maxBytes);
    }
    // Without a layout the file is shorter than its header: parseNpy names the problem.
    return parseNpy(layout ? await readAll(file) : head, path);
  });
}
