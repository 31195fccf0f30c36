import { mixSeed } from '../step-seed.js';

/**
 * Which rows of a streamed source are validation rows: a row is chosen when a seeded hash of its position in
 * the source falls below `rate`, and at most `cap` rows are chosen (the first chosen ones). A hash rather than
 * "the first K rows" because files are often sorted (by class, by time): the first rows would be a biased
 * validation set, while hashed ones are spread over the whole file. The decision needs no stored mask, so
 * every pass over the source makes it again in O(1) memory, whatever its batch sizes.
 */
export class ValidationRows {
  #taken = 0;
  readonly #threshold: number;

  /** `key`: the fit's seed for the hash; `rate` ∈ [0, 1): the fraction of rows to choose. */
  constructor(
    readonly key: number,
    readonly rate: number,
    readonly cap: number,
  ) {
    this.#threshold = rate * 4294967296;
  }

  /** Whether the row at `position` is a validation row; call it for every row of a pass, in order from 0. */
  isValidation(position: number): boolean {
    if (this.#taken >= this.cap || !(mixSeed(this.key, position) < this.#threshold)) return false;
    this.#taken++;
    return true;
  }

  /** Validation rows chosen so far in this pass. */
  get taken(): number {
    return this.#taken;
  }
}

/**
 * The hash rate for a validation split of `split` over `rows` rows (unknown: the split itself), lowered so that
 * about `cap` rows are chosen from a large source: the validation rows are held in memory, so their number must
 * not grow with the source.
 */
export function validationRate(split: number, rows: number | undefined, cap: number): number {
  if (!(split > 0)) return 0;
  return rows !== undefined && rows > 0 ? Math.min(split, cap / rows) : split;
}
