import { constants as bufferConstants } from 'node:buffer';
import { LatentkitError, type Dataset } from '@latentkit/core';
import { parseCsv, type CsvOptions } from '../csv.js';
import { checkMemory } from '../memory.js';
import { defaultMaxDataBytes, readAll, withRegularFile } from './read.js';

/** V8 cannot hold a longer string, so a bigger CSV can never be parsed as text. */
const MAX_TEXT_BYTES = bufferConstants.MAX_STRING_LENGTH;

/**
 * Reads a CSV file (regular files only). The text's size is checked before it is read, and parseCsv
 * plans the matrix against the same limit before allocating it.
 */
export async function readCsv(path: string, options: CsvOptions = {}): Promise<Dataset> {
  const maxBytes = options.maxBytes ?? defaultMaxDataBytes();
  const text = await withRegularFile(path, async (file) => {
    if (file.size > MAX_TEXT_BYTES) {
      throw new LatentkitError(
        'E_INPUT_FORMAT',
        `${path}: ${file.size} bytes is more than a CSV file can have (at most ${MAX_TEXT_BYTES} bytes of text); save the data with numpy.save and use npy:PATH`,
      );
    }
    // The bytes and their decoded string live together for a moment.
    checkMemory(path, 'the CSV text', file.size * 2, maxBytes);
    const bytes = await readAll(file);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
  });
  return parseCsv(text, { ...options, maxBytes }, path);
}
