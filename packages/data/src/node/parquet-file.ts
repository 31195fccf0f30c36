import type { AsyncBuffer } from 'hyparquet';
import { LatentkitError, type RowBatchSource } from '@latentkit/core';
import { openParquetRowSource, type ParquetSourceOptions } from '../rows/parquet-rows.js';
import { tableName } from './arrow-file.js';
import { openCheckedFile, readAt, type RegularFile } from './read.js';

const MAGIC = 'PAR1';

/**
 * A Parquet file as a row-batch source, read by byte range through a file handle (the footer, then each row
 * group's column chunks); each pass opens the file again and closes it when it ends. The magic and the footer
 * length are checked against the file's size first, and no range past the end of the file is ever read.
 */
export async function openParquetFileRowSource(path: string, options: ParquetSourceOptions = {}): Promise<RowBatchSource> {
  const open = async () => {
    const file = await openCheckedFile(path, checkFraming);
    return { file: asyncBufferOf(file), close: () => file.fh.close().catch(() => undefined) };
  };
  const source = await openParquetRowSource(path, open, options);
  return { ...source, name: tableName(path) };
}

/** hyparquet's view of the file: byte ranges read on demand, each checked against the file's size. */
function asyncBufferOf(file: RegularFile): AsyncBuffer {
  return {
    byteLength: file.size,
    async slice(start: number, end = file.size): Promise<ArrayBuffer> {
      if (!(start >= 0 && end >= start && end <= file.size)) {
        throw new LatentkitError('E_INPUT_FORMAT', `${file.path}: Parquet metadata points at bytes ${start}–${end}, past the end of the ${file.size}-byte file (truncated?)`);
      }
      const bytes = await readAt(file, start, end - start);
      return bytes.buffer as ArrayBuffer;
    },
  };
}

async function checkFraming(file: RegularFile): Promise<void> {
  const fail = (why: string): never => {
    throw new LatentkitError('E_INPUT_FORMAT', `${file.path}: ${why}`);
  };
  if (file.size < 12) fail(`not a Parquet file (only ${file.size} bytes)`);
  const latin1 = new TextDecoder('latin1');
  if (latin1.decode(await readAt(file, 0, 4)) !== MAGIC) fail('not a Parquet file (missing PAR1 magic)');
  const tail = await readAt(file, file.size - 8, 8);
  if (latin1.decode(tail.subarray(4)) !== MAGIC) fail('truncated Parquet file (no closing PAR1 magic; the footer is missing)');
  const footer = new DataView(tail.buffer, tail.byteOffset, 4).getUint32(0, true);
  if (footer > file.size - 12) fail(`Parquet footer declares ${footer} bytes but the file holds ${file.size - 12} between its magics`);
}
