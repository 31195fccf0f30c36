/** Which columns of a table (Arrow, Parquet) become features, labels and ids. */
export interface TableColumnOptions {
  /**
   * Feature columns, in order: numeric columns (one feature each) and vector columns (fixed-size list or list
   * of numbers, one feature per element), concatenated. Default: every numeric or vector column except the
   * label and id columns.
   */
  readonly columns?: readonly string[];
  /** A column of class labels (strings or whole numbers) → labels + labelNames. */
  readonly labelColumn?: string;
  /** A column of row identifiers (strings or numbers) → ids. */
  readonly idColumn?: string;
}

/** "a,b" or "vec" (the --columns flag) → the column names, trimmed; empty names are refused by the caller. */
export function splitColumnList(text: string): string[] {
  return text.split(',').map((s) => s.trim());
}
