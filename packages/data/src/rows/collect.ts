import { createDataset, LatentkitError, memoryBudget, throwIfAborted, type Dataset, type RowBatchSource } from '@latentkit/core';
import { checkMemory } from '../memory.js';

/** A source gathered into memory: the Dataset every in-memory fit takes, plus the ids where the source has them. */
export interface CollectedDataset extends Dataset {
  readonly ids?: readonly string[];
}

export interface CollectOptions {
  readonly signal?: AbortSignal;
  /** The most bytes the result may take (default: LATENTKIT_MAX_DATA_BYTES, else half of the machine's memory). */
  readonly maxBytes?: number;
  readonly batchRows?: number;
}

/**
 * Reads every batch of `source` into one Dataset, for the fits that need all rows at once. The memory is
 * planned before the first batch is read when the source knows its row count (every file format here does);
 * a source that does not is checked as it grows. Either way a refusal is one line naming the source.
 */
export async function collectDataset(source: RowBatchSource, options: CollectOptions = {}): Promise<CollectedDataset> {
  const maxBytes = options.maxBytes ?? memoryBudget().bytes;
  const { cols } = source;
  const plan = (rows: number) =>
    checkMemory(source.name, `${rows.toLocaleString('en-US')}×${cols} float32 rows`, rows * cols * 4 + (source.labelNames ? rows * 4 : 0), maxBytes, rows * cols);
  if (source.rows !== undefined) plan(source.rows);
  let data = new Float32Array(source.rows !== undefined ? source.rows * cols : 0);
  let labels = source.labelNames ? new Int32Array(source.rows ?? 0) : undefined;
  let ids: string[] | undefined;
  let rows = 0;
  for await (const batch of source.batches({ ...(options.batchRows ? { batchRows: options.batchRows } : {}), ...(options.signal ? { signal: options.signal } : {}) })) {
    throwIfAborted(options.signal, `reading ${source.name}`);
    const end = rows + batch.x.rows;
    if (end * cols > data.length) {
      // Unknown length: grow by doubling, checking the doubled size first.
      const capacity = Math.max(end, 2 * rows);
      plan(capacity);
      const bigger = new Float32Array(capacity * cols);
      bigger.set(data);
      data = bigger;
      if (labels) {
        const more = new Int32Array(capacity);
        more.set(labels);
        labels = more;
      }
    }
    data.set(batch.x.data.subarray(0, batch.x.rows * cols), rows * cols);
    if (labels && batch.labels) labels.set(batch.labels, rows);
    if (batch.ids) for (const id of batch.ids) (ids ??= []).push(id);
    rows = end;
  }
  if (source.rows !== undefined && rows !== source.rows) {
    throw new LatentkitError('E_INPUT_FORMAT', `${source.name}: declared ${source.rows} rows but ${rows} were read`);
  }
  return {
    ...createDataset({
      name: source.name,
      x: { data: data.length === rows * cols ? data : data.slice(0, rows * cols), rows, cols },
      ...(labels ? { labels: labels.length === rows ? labels : labels.slice(0, rows), labelNames: source.labelNames! } : {}),
      ...(source.imageShape ? { imageShape: source.imageShape } : {}),
    }),
    ...(ids ? { ids } : {}),
  };
}
