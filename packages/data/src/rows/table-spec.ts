import { LatentkitError } from '@latentkit/core';
import type { TableColumnOptions } from './table-options.js';

/**
 * Table data specs carry their column choice, so a model folder's recorded source ("data" in metrics.json)
 * reloads the same features, labels and ids later:
 *   parquet:PATH
 *   parquet[columns=a,b;label=species;id=name]:PATH
 * Names holding any of % , ; = [ ] are percent-encoded (%2C …), so every column name round-trips.
 */
export const TABLE_FORMATS = ['arrow', 'parquet'] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];

export interface TableSpec {
  readonly format: TableFormat;
  readonly path: string;
  readonly options: TableColumnOptions;
}

const SPEC = /^(arrow|parquet)(?:\[([^\]]*)\])?:(.+)$/is;
const KEYS = { columns: 'columns', label: 'labelColumn', id: 'idColumn' } as const;

/** Splits `arrow[…]:PATH` / `parquet[…]:PATH`; undefined for any other spec. Bad options are one E_OPTION line. */
export function parseTableSpec(spec: string): TableSpec | undefined {
  const m = SPEC.exec(spec.trim());
  if (!m) return undefined;
  const format = m[1]!.toLowerCase() as TableFormat;
  const options: { columns?: string[]; labelColumn?: string; idColumn?: string } = {};
  for (const part of (m[2] ?? '').split(';').filter((p) => p.trim() !== '')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim() as keyof typeof KEYS;
    if (eq < 0 || !(key in KEYS)) {
      throw new LatentkitError('E_OPTION', `data source "${spec}": unknown option "${part}" in [...] (expected columns=a,b, label=NAME, id=NAME separated by ";")`);
    }
    const value = part.slice(eq + 1);
    if (key === 'columns') options.columns = value.split(',').map(decode);
    else options[KEYS[key]] = decode(value);
  }
  return { format, path: m[3]!, options };
}

/** The spec that reads `path` as `format` with these columns (the inverse of parseTableSpec). */
export function formatTableSpec(format: TableFormat, path: string, options: TableColumnOptions = {}): string {
  const parts = [
    ...(options.columns !== undefined ? [`columns=${options.columns.map(encode).join(',')}`] : []),
    ...(options.labelColumn !== undefined ? [`label=${encode(options.labelColumn)}`] : []),
    ...(options.idColumn !== undefined ? [`id=${encode(options.idColumn)}`] : []),
  ];
  return `${format}${parts.length > 0 ? `[${parts.join(';')}]` : ''}:${path}`;
}

/** The spec's options with `overrides` laid over them (command-line flags win over the recorded spec). */
export function mergeTableOptions(base: TableColumnOptions, overrides: TableColumnOptions): TableColumnOptions {
  return {
    ...base,
    ...(overrides.columns !== undefined ? { columns: overrides.columns } : {}),
    ...(overrides.labelColumn !== undefined ? { labelColumn: overrides.labelColumn } : {}),
    ...(overrides.idColumn !== undefined ? { idColumn: overrides.idColumn } : {}),
  };
}

function encode(name: string): string {
  return name.replace(/[%,;=[\]]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function decode(text: string): string {
  return text.trim().replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}
