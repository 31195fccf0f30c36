import { LatentkitError } from '@latentkit/core';
import type { TableColumnOptions } from './table-options.js';

/** A table column as the readers see it, whatever the file format. */
export interface TableColumn {
  readonly name: string;
  /** number: one numeric value per row; vector: a list of numbers per row; text: strings; other: anything else. */
  readonly kind: 'number' | 'vector' | 'text' | 'other';
  /** The format's name for the type, for messages ("Float16", "FixedSizeList[384]<Float32>", "BYTE_ARRAY (STRING)"). */
  readonly type: string;
  /** Elements per row of a vector column, where the schema says (Arrow's fixed-size lists). */
  readonly width?: number;
}

/** A feature column placed in the row: its features are row[offset … offset + width). */
export interface FeatureColumn {
  readonly name: string;
  readonly kind: 'number' | 'vector';
  readonly offset: number;
  readonly width: number;
}

export interface ColumnPlan {
  readonly features: readonly FeatureColumn[];
  readonly cols: number;
  readonly label?: string;
  readonly id?: string;
}

/**
 * Picks the feature, label and id columns from a table's schema and checks them, each problem one line naming
 * the file and the column. `widthOf` gives a vector column's width when the schema does not (read from the
 * first row by the caller).
 */
export async function planColumns(
  source: string,
  schema: readonly TableColumn[],
  options: TableColumnOptions,
  widthOf: (column: TableColumn) => Promise<number>,
): Promise<ColumnPlan> {
  const byName = new Map(schema.map((c) => [c.name, c]));
  const listed = () => schema.map((c) => `${c.name} (${c.type})`).join(', ');
  const find = (name: string, role: string): TableColumn => {
    const c = byName.get(name);
    if (!c) throw new LatentkitError('E_OPTION', `${source}: no column "${name}" for ${role}; the file has ${listed()}`);
    return c;
  };
  const label = options.labelColumn !== undefined ? find(options.labelColumn, 'the labels') : undefined;
  const id = options.idColumn !== undefined ? find(options.idColumn, 'the ids') : undefined;
  for (const [c, role] of [[label, 'label'], [id, 'id']] as const) {
    if (c && c.kind !== 'text' && c.kind !== 'number') {
      throw new LatentkitError('E_INPUT_VALUE', `${source}: ${role} column "${c.name}" is ${c.type}; a ${role} column must hold strings or numbers`);
    }
  }
  const reserved = new Set([label?.name, id?.name]);
  let chosen: TableColumn[];
  if (options.columns !== undefined) {
    if (options.columns.length === 0 || options.columns.some((n) => n === '')) {
      throw new LatentkitError('E_OPTION', `${source}: the feature column list ${JSON.stringify(options.columns.join(','))} has an empty name`);
    }
    const dup = options.columns.find((n, i) => options.columns!.indexOf(n) !== i);
    if (dup !== undefined) throw new LatentkitError('E_OPTION', `${source}: column "${dup}" is listed twice among the features`);
    chosen = options.columns.map((n) => find(n, 'the features'));
    for (const c of chosen) {
      if (reserved.has(c.name)) throw new LatentkitError('E_OPTION', `${source}: column "${c.name}" cannot be both a feature and the ${c.name === label?.name ? 'label' : 'id'} column`);
      if (c.kind !== 'number' && c.kind !== 'vector') {
        throw new LatentkitError('E_INPUT_VALUE', `${source}: column "${c.name}" is ${c.type}, not numeric; features must be numbers or lists of numbers (name text with --label-column or --id-column)`);
      }
    }
  } else {
    chosen = schema.filter((c) => (c.kind === 'number' || c.kind === 'vector') && !reserved.has(c.name));
    if (chosen.length === 0) throw new LatentkitError('E_EMPTY', `${source}: no numeric or vector column to use as features; the file has ${listed()}`);
  }
  const features: FeatureColumn[] = [];
  let cols = 0;
  for (const c of chosen) {
    const width = c.kind === 'number' ? 1 : (c.width ?? (await widthOf(c)));
    if (!Number.isSafeInteger(width) || width < 1) throw new LatentkitError('E_INPUT_VALUE', `${source}: vector column "${c.name}" has empty rows`);
    features.push({ name: c.name, kind: c.kind as 'number' | 'vector', offset: cols, width });
    cols += width;
  }
  return { features, cols, ...(label ? { label: label.name } : {}), ...(id ? { id: id.name } : {}) };
}

/** One line for a feature value that is missing or not finite. */
export function badValue(source: string, column: string, row: number, value: unknown): LatentkitError {
  const what = value === null || value === undefined ? 'a missing value (null)' : `a non-finite value (${String(value)})`;
  return new LatentkitError('E_INPUT_VALUE', `${source}: column "${column}" has ${what} at row ${row}`);
}

/** One line for a vector row whose length differs from the column's width. */
export function ragged(source: string, column: string, row: number, length: number, width: number): LatentkitError {
  return new LatentkitError('E_INPUT_VALUE', `${source}: vector column "${column}" has ${length} values at row ${row} but ${width} in its first row; every row needs the same length`);
}
