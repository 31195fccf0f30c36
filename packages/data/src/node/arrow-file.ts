import type { RowBatchSource } from '@latentkit/core';
import { LatentkitError } from '@latentkit/core';
import { openArrowRowSource } from '../rows/arrow-rows.js';
import type { TableColumnOptions } from '../rows/table-options.js';
import { datasetNameFromPath } from './files.js';
import { openCheckedFile, readAt, type RegularFile } from './read.js';

const FILE_MAGIC = 'ARROW1';
const CONTINUATION = 0xffffffff;

/**
 * An Arrow IPC file (.arrow / .feather v2) or stream (.arrows) as a row-batch source, read through a file
 * handle a record batch at a time. The framing is checked against the file's size before apache-arrow reads
 * it: the file format's footer, the stream format's first message.
 */
export async function openArrowFileRowSource(path: string, options: TableColumnOptions = {}): Promise<RowBatchSource> {
  const open = async () => {
    const file = await openCheckedFile(path, checkFraming);
    return { input: file.fh, close: () => file.fh.close().catch(() => undefined) };
  };
  const source = await openArrowRowSource(path, open, options);
  return { ...source, name: tableName(path) };
}

/** "/data/emb.arrow" → "emb": the dataset name figures and the viewer show. */
export function tableName(path: string): string {
  return datasetNameFromPath(path).replace(/\.(arrows?|feather|ipc|parquet|pq)$/i, '');
}

async function checkFraming(file: RegularFile): Promise<void> {
  const fail = (why: string): never => {
    throw new LatentkitError('E_INPUT_FORMAT', `${file.path}: ${why}`);
  };
  if (file.size < 8) fail(`not an Arrow IPC file or stream (only ${file.size} bytes)`);
  const head = await readAt(file, 0, 8);
  const text = new TextDecoder('latin1').decode(head.subarray(0, 6));
  const view = new DataView(head.buffer, head.byteOffset, 8);
  if (text === FILE_MAGIC) {
    if (file.size < 18) fail('truncated Arrow IPC file (shorter than its magic and footer length)');
    const tail = await readAt(file, file.size - 10, 10);
    if (new TextDecoder('latin1').decode(tail.subarray(4)) !== FILE_MAGIC) fail('truncated Arrow IPC file (no closing ARROW1 magic; the footer is missing)');
    const footer = new DataView(tail.buffer, tail.byteOffset, 4).getInt32(0, true);
    if (footer <= 0 || footer > file.size - 18) fail(`Arrow IPC footer declares ${footer} bytes but the file holds ${file.size - 18} between its magics`);
    return;
  }
  // Stream format: a message starts with the continuation marker (or, before Arrow 0.15, directly with its length).
  const marker = view.getUint32(0, true);
  const length = marker === CONTINUATION ? view.getInt32(4, true) : view.getInt32(0, true);
  const at = marker === CONTINUATION ? 8 : 4;
  if (length <= 0 || length > file.size - at) {
    fail(marker === CONTINUATION ? `truncated Arrow IPC stream: first message declares ${length} bytes, ${file.size - at} present` : 'not an Arrow IPC file or stream (no ARROW1 magic or message marker)');
  }
}
