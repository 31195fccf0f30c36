import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { LatentkitError } from '@latentkit/core';
import { formatTableSpec, mergeTableOptions, parseTableSpec, type TableColumnOptions } from '@latentkit/data';

/**
 * Checks of command-line values that need no data: every command runs them before it reads data or fits
 * anything, so a typo costs a second, not a fit. Each failure is one E_OPTION line naming the flag.
 */

const MAX_SEED = 2 ** 32 - 1;

/** --seed: an integer from 0 to 2³² − 1 (the generator's seed range). */
export function parseSeed(raw: string, flag = '--seed'): number {
  return parseIntFlag(flag, raw, 0, MAX_SEED);
}

/** An optional --seed: undefined when not given. */
export function parseOptionalSeed(raw: string | undefined, flag = '--seed'): number | undefined {
  return raw === undefined ? undefined : parseSeed(raw, flag);
}

/** An integer flag in [min, max] (no upper bound when max is omitted); "1e3", "7.5", "" and "0x10" are refused. */
export function parseIntFlag(flag: string, raw: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const text = String(raw).trim();
  const v = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(v) || v < min || v > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
    throw new LatentkitError('E_OPTION', `${flag} expects an integer ${range}, got ${JSON.stringify(raw)}`);
  }
  return v;
}

const DATA_SPEC = /^(mnist|fashion-mnist|(idx|npy|csv):.+|(arrow|parquet)(\[[^\]]*\])?:.+)$/is;
const DATA_FORMS = 'mnist, fashion-mnist, idx:PATH, npy:PATH, csv:PATH, arrow:PATH or parquet:PATH';

/** --data: one of the source forms the loader understands (the file itself is read later, by the loader). */
export function checkDataSpec(spec: string, flag = '--data'): string {
  if (!DATA_SPEC.test(spec.trim())) {
    throw new LatentkitError('E_UNKNOWN_DATA', `${flag}: unknown data source "${spec}" (expected ${DATA_FORMS})`);
  }
  // A table spec's [columns=…;label=…;id=…] part is checked here too, before any work.
  parseTableSpec(spec);
  return spec;
}

/** The table-column flags of the commands that take --data. */
export interface ColumnFlags {
  /** --columns a,b | vec: feature columns. */
  columns?: string;
  /** --label-column NAME */
  labelColumn?: string;
  /** --id-column NAME */
  idColumn?: string;
}

/**
 * --columns, --label-column and --id-column folded into the data spec (`parquet[columns=a,b;label=y]:PATH`),
 * so the model folder records them and later commands reload the same columns. They apply to arrow: and
 * parquet: data only; anything else given them is one E_OPTION line. Names are checked against the file later.
 */
export function withColumnFlags(spec: string, flags: ColumnFlags): string {
  const overrides = parseColumnFlags(flags);
  const given = Object.keys(overrides) as (keyof TableColumnOptions)[];
  if (given.length === 0) return spec;
  const names = { columns: '--columns', labelColumn: '--label-column', idColumn: '--id-column' } as const;
  const table = parseTableSpec(spec);
  if (!table) throw new LatentkitError('E_OPTION', `${given.map((k) => names[k]).join(', ')} apply to arrow:PATH and parquet:PATH data, not "${spec}"`);
  return formatTableSpec(table.format, table.path, mergeTableOptions(table.options, overrides));
}

/** The column flags, checked for form (names are checked against the file when it is opened). */
export function parseColumnFlags(flags: ColumnFlags): TableColumnOptions {
  return {
    ...(flags.columns !== undefined ? { columns: columnList(flags.columns) } : {}),
    ...(flags.labelColumn !== undefined ? { labelColumn: columnName('--label-column', flags.labelColumn) } : {}),
    ...(flags.idColumn !== undefined ? { idColumn: columnName('--id-column', flags.idColumn) } : {}),
  };
}

function columnList(raw: string): string[] {
  const names = String(raw).split(',').map((s) => s.trim());
  if (names.some((n) => n === '')) throw new LatentkitError('E_OPTION', `--columns expects column names separated by commas, got ${JSON.stringify(raw)}`);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new LatentkitError('E_OPTION', `--columns names "${dup}" twice`);
  return names;
}

function columnName(flag: string, raw: string): string {
  const name = String(raw).trim();
  if (name === '') throw new LatentkitError('E_OPTION', `${flag} expects a column name, got ${JSON.stringify(raw)}`);
  return name;
}

/** A class label flag (e.g. demo's --held-out): one of the data's label names, given by name. */
export function parseLabel(flag: string, raw: string, labelNames: readonly string[], dataName: string): number {
  const i = labelNames.indexOf(String(raw).trim());
  if (i < 0) throw new LatentkitError('E_OPTION', `${flag} expects one of ${dataName}'s classes ${labelNames.join(', ')}, got ${JSON.stringify(raw)}`);
  return i;
}

/** An output file flag (--png, --svg, --out FILE): its folder must exist and the path must not be a folder. */
export async function checkOutputFile(flag: string, path: string, cwd: string): Promise<string> {
  const target = resolve(cwd, path);
  const parent = await stat(dirname(target)).catch(() => undefined);
  if (!parent?.isDirectory()) throw new LatentkitError('E_IO', `${flag} ${path}: the folder ${dirname(target)} does not exist`);
  if ((await stat(target).catch(() => undefined))?.isDirectory()) throw new LatentkitError('E_IO', `${flag} ${path} is a folder, not a file`);
  return target;
}
