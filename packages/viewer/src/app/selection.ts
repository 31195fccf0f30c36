/**
 * The user's selection: the two most recently clicked points, A (older) and B (newer), and the rows a lasso
 * drawn in the scatter encloses (any number; empty when there is no lasso selection).
 */
export class Selection {
  #indices: number[] = [];
  #lasso = new Int32Array(0);
  readonly #listeners = new Set<(indices: readonly number[]) => void>();
  readonly #lassoListeners = new Set<(rows: Int32Array) => void>();

  get indices(): readonly number[] {
    return this.#indices;
  }

  /** The most recently selected point. */
  get latest(): number | undefined {
    return this.#indices[this.#indices.length - 1];
  }

  /** Both endpoints once two distinct points were selected. */
  get pair(): [number, number] | undefined {
    return this.#indices.length === 2 ? [this.#indices[0]!, this.#indices[1]!] : undefined;
  }

  /** Rows inside the last lasso, ascending; empty when none. */
  get lasso(): Int32Array {
    return this.#lasso;
  }

  select(i: number): void {
    if (this.latest === i) return;
    this.#indices = [...this.#indices, i].slice(-2);
    for (const l of this.#listeners) l(this.#indices);
  }

  /** Replaces the lasso selection (an empty list clears it). */
  setLasso(rows: readonly number[]): void {
    if (rows.length === 0 && this.#lasso.length === 0) return;
    // A typed array: a lasso over a million-point scatter may hold hundreds of thousands of rows.
    this.#lasso = Int32Array.from(rows).sort();
    for (const l of this.#lassoListeners) l(this.#lasso);
  }

  onChange(listener: (indices: readonly number[]) => void): void {
    this.#listeners.add(listener);
  }

  onLassoChange(listener: (rows: Int32Array) => void): void {
    this.#lassoListeners.add(listener);
  }
}
