import { LatentkitError } from '@latentkit/core';

/** More distinct labels than this is an id or a measurement, not a class: refused, naming --id-column. */
export const MAX_LABEL_CLASSES = 65536;

/** How a label column's values become Dataset.labels (indices) and labelNames. */
export interface LabelCoding {
  readonly labelNames: readonly string[];
  /** The class index of one value; `row` is only for the message when the value is missing. */
  code(value: unknown, row: number): number;
}

/**
 * Builds the coding from every value the column holds (a first pass over just that column). Like CSV labels:
 * whole numbers 0…K−1 (K ≤ MAX_LABEL_CLASSES) keep their value as the index, named "0"…"K−1"; anything else
 * (strings, negative or fractional numbers) becomes sorted class names.
 */
export function labelCoding(values: Iterable<unknown>, source: string, column: string): LabelCoding {
  const distinct = new Set<string | number>();
  let row = 0;
  for (const v of values) {
    distinct.add(labelKey(v, row++, source, column));
    if (distinct.size > MAX_LABEL_CLASSES) {
      throw new LatentkitError('E_INPUT_VALUE', `${source}: label column "${column}" has more than ${MAX_LABEL_CLASSES} distinct values; an identifier belongs in --id-column`);
    }
  }
  const keys = [...distinct];
  const wholeNumbers = keys.every((k) => typeof k === 'number' && Number.isInteger(k) && k >= 0 && k < MAX_LABEL_CLASSES);
  if (wholeNumbers) {
    const max = Math.max(-1, ...(keys as number[]));
    const labelNames = Array.from({ length: max + 1 }, (_, i) => String(i));
    return { labelNames, code: (v, r) => labelKey(v, r, source, column) as number };
  }
  const names = sortClassNames([...new Set(keys.map(String))]);
  const index = new Map(names.map((n, i) => [n, i]));
  return { labelNames: names, code: (v, r) => index.get(String(labelKey(v, r, source, column)))! };
}

function labelKey(v: unknown, row: number, source: string, column: string): string | number {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return String(v);
  const what = v === null || v === undefined ? 'missing (null)' : `not a string or number (${typeof v})`;
  throw new LatentkitError('E_INPUT_VALUE', `${source}: label at row ${row} of column "${column}" is ${what}`);
}

/** Class names that all read as numbers sort numerically ("2" before "10"); otherwise as text. */
function sortClassNames(names: string[]): string[] {
  const numeric = names.every((n) => n.trim() !== '' && Number.isFinite(Number(n)));
  return numeric ? names.sort((a, b) => Number(a) - Number(b)) : names.sort();
}

/** Ids as strings (an id column of numbers or strings); a missing id is refused, naming its row. */
export function idText(v: unknown, row: number, source: string, column: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  throw new LatentkitError('E_INPUT_VALUE', `${source}: id at row ${row} of column "${column}" is missing (null)`);
}
