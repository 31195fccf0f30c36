/** The user's selected points: the two most recent clicks, A (older) and B (newer). */
export class Selection {
  #indices: number[] = [];
  readonly #listeners = new Set<(indices: readonly number[]) => void>();

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

  select(i: number): void {
    if (this.latest === i) return;
    this.#indices = [...this.#indices, i].slice(-2);
    for (const l of this.#listeners) l(this.#indices);
  }

  onChange(listener: (indices: readonly number[]) => void): void {
    this.#listeners.add(listener);
  }
}
