// A streaming variant of the toy keep-first plugin: fitStream gathers the training rows from the stream (one
// pass, counted) and fits them as the in-memory fit would.
import { type Dataset, type FitOptions, type Matrix, type ReducerPlugin, type ReducerSettings, type RowBatch, type RowBatchSource, sliceRows } from '@latentkit/core';
import { keepFirstPlugin } from './toy-plugins.js';

export interface StreamCalls {
  passes: number;
  opened: number;
}

/** A RowBatchSource over a matrix in memory, counting opens through `calls` and passes made over it. */
export function matrixSource(x: Matrix, calls: StreamCalls, batchRows = 7): RowBatchSource {
  return {
    name: 'toy.npy',
    cols: x.cols,
    rows: x.rows,
    async *batches(): AsyncIterable<RowBatch> {
      calls.passes++;
      for (let offset = 0; offset < x.rows; offset += batchRows) {
        const part = sliceRows(x, offset, offset + batchRows);
        yield { x: { data: part.data.slice(), rows: part.rows, cols: part.cols }, offset };
      }
    },
  };
}

export function streamingKeepFirst(): ReducerPlugin & { fitStream: NonNullable<unknown> } {
  const base = keepFirstPlugin();
  return {
    ...base,
    capabilities: [...base.capabilities, 'fit-stream'],
    async fitStream(source: RowBatchSource, settings: ReducerSettings, options?: FitOptions) {
      const rows: number[] = [];
      for await (const batch of source.batches()) rows.push(...batch.x.data);
      const data: Dataset = { name: source.name, x: { data: Float32Array.from(rows), rows: rows.length / source.cols, cols: source.cols } };
      return base.fit(data, settings, options);
    },
  } as ReducerPlugin & { fitStream: NonNullable<unknown> };
}

/** keep-first streaming that also reports its own (made-up, recognisable) reconstruction MSE. */
export function reportingKeepFirst(): ReducerPlugin & { fitStream: NonNullable<unknown> } {
  const inner = streamingKeepFirst() as unknown as { fitStream: (s: RowBatchSource, st: ReducerSettings, o?: FitOptions & { heldOut?: RowBatchSource }) => Promise<object> };
  return {
    ...streamingKeepFirst(),
    async fitStream(source: RowBatchSource, settings: ReducerSettings, options?: FitOptions & { heldOut?: RowBatchSource }) {
      const outcome = await inner.fitStream(source, settings, options);
      return { ...outcome, reconstruction: { train: { n: source.rows, mse: 0.125 }, test: { n: options?.heldOut?.rows, mse: 0.25 } } };
    },
  } as ReducerPlugin & { fitStream: NonNullable<unknown> };
}
