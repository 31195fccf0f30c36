import { resolve } from 'node:path';
import { LatentkitError, type RowBatchSource } from '@latentkit/core';
import { mergeTableOptions, parseTableSpec } from '../rows/table-spec.js';
import type { TableColumnOptions } from '../rows/table-options.js';
import { openNpyRowSource } from './npy-rows.js';

/** The data specs openRowSource reads in batches. */
export const ROW_SOURCE_FORMATS = ['npy', 'arrow', 'parquet'] as const;
export type RowSourceFormat = (typeof ROW_SOURCE_FORMATS)[number];

export type RowSourceOptions = TableColumnOptions;

/**
 * The format, resolved path and column options of a row-source spec (`npy:PATH`, `arrow[…]:PATH`,
 * `parquet[…]:PATH`), or undefined when the spec is not one.
 */
export function parseRowSourceSpec(spec: string): { format: RowSourceFormat; path: string; options: TableColumnOptions } | undefined {
  const table = parseTableSpec(spec);
  if (table) return { format: table.format, path: resolve(table.path), options: table.options };
  const m = /^npy:(.+)$/i.exec(spec.trim());
  return m ? { format: 'npy', path: resolve(m[1]!), options: {} } : undefined;
}

/**
 * Opens `npy:PATH`, `arrow:PATH` or `parquet:PATH` as a row-batch source: the header (or footer) is read and
 * checked now, rows later, a batch at a time. Column options apply to Arrow and Parquet (given here, or in the
 * spec as `parquet[columns=vec;label=y;id=key]:PATH`; these options win); NPY has no named columns, so giving
 * them for an NPY file is refused.
 */
export async function openRowSource(spec: string, options: RowSourceOptions = {}): Promise<RowBatchSource> {
  const parsed = parseRowSourceSpec(spec);
  if (!parsed) {
    throw new LatentkitError('E_UNKNOWN_DATA', `cannot read "${spec}" in batches (expected npy:PATH, arrow:PATH or parquet:PATH)`);
  }
  const { format, path } = parsed;
  if (format === 'npy') {
    const named = (['columns', 'labelColumn', 'idColumn'] as const).filter((k) => options[k] !== undefined);
    if (named.length > 0) {
      throw new LatentkitError('E_OPTION', `${path}: an NPY file has no named columns, so ${named.join(', ')} cannot apply (they are for arrow: and parquet: files)`);
    }
    return openNpyRowSource(path);
  }
  const merged = mergeTableOptions(parsed.options, options);
  // apache-arrow and hyparquet load only when a table is read: importing apache-arrow alone took 0.3–1.2 s here, which every CLI start would pay.
  if (format === 'arrow') return (await import('./arrow-file.js')).openArrowFileRowSource(path, merged);
  return (await import('./parquet-file.js')).openParquetFileRowSource(path, merged);
}
