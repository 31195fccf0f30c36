import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The table fixtures written by tooling/scripts/make-table-fixtures.mjs (flechette for Arrow, arrow-rs for Parquet). */
export const TABLES_DIR = join(fileURLToPath(new URL('../../__fixtures__/tables/', import.meta.url)));

export interface TableExpected {
  rows: number;
  labelClasses: string[];
  columns: {
    id: string[];
    label: string[];
    label_int: number[];
    vec: number[][];
    h: number[];
    f32: number[];
    f64: number[];
    u8: number[];
    lst: number[][];
  };
}

/** What the writer holds for every value (expected.json, written by the same script). */
export const EXPECTED: TableExpected = JSON.parse(readFileSync(join(TABLES_DIR, 'expected.json'), 'utf8')) as TableExpected;

/** Row r's features for the given columns, in order, as the readers must produce them (float32). */
export function expectedRow(r: number, columns: readonly (keyof TableExpected['columns'])[]): number[] {
  return columns.flatMap((c) => {
    const v = EXPECTED.columns[c][r]!;
    return (Array.isArray(v) ? v : [v as number]).map((x) => Math.fround(x as number));
  });
}
