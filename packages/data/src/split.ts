import { LatentkitError, createRng, subsetDataset, type Dataset, type Rng } from '@latentkit/core';

export interface SplitOptions {
  /** Test-set size: a row count (integer ≥ 1) or a fraction in (0, 1) of the rows (rounded). */
  readonly test: number;
  /** Seed for core's createRng; the same seed always gives the same split. Default 0. */
  readonly seed?: number;
}

/**
 * Splits a dataset into train and test sets.
 *
 * With labels the split is stratified: each class gets a share of the test rows proportional to its
 * size (largest-remainder rounding, ties to the lower label), so class proportions match in both
 * parts. Rows are drawn at random within each class and both parts are then shuffled, all from one
 * createRng(seed) stream. Without labels it is a plain seeded random split. Which rows are test rows is
 * splitMembership's decision (drawTestRows), so a streamed split holds out the very same rows.
 */
export function stratifiedSplit(d: Dataset, options: SplitOptions): { train: Dataset; test: Dataset } {
  const n = d.x.rows;
  const rng = createRng(options.seed ?? 0);
  const testRows: number[] = [];
  const trainRows: number[] = [];
  for (const { rows, quota } of drawTestRows(n, d.labels, resolveTestCount(options.test, n, d.name), rng)) {
    for (let k = 0; k < rows.length; k++) (k < quota ? testRows : trainRows).push(rows[k]!);
  }
  rng.shuffle(trainRows);
  rng.shuffle(testRows);
  return { train: withIds(subsetDataset(d, trainRows), d, trainRows), test: withIds(subsetDataset(d, testRows), d, testRows) };
}

/**
 * Which of n rows stratifiedSplit puts in the test set (1) or the training set (0), for the same labels, test
 * size and seed, without the rows themselves: one byte per row, for splits of data read in batches. The
 * shuffle's 4 bytes per row are freed on return.
 */
export function splitMembership(n: number, labels: ArrayLike<number> | undefined, options: SplitOptions & { readonly name?: string }): Uint8Array {
  if (labels && labels.length !== n) throw new LatentkitError('E_SHAPE', `cannot split "${options.name ?? 'data'}": ${labels.length} labels for ${n} rows`);
  const groups = drawTestRows(n, labels, resolveTestCount(options.test, n, options.name ?? 'data'), createRng(options.seed ?? 0));
  const mask = new Uint8Array(n);
  for (const { rows, quota } of groups) for (let k = 0; k < quota; k++) mask[rows[k]!] = 1;
  return mask;
}

/**
 * The split's one decision: rows grouped by label (one group without labels), each group shuffled from `rng`
 * and given its test quota; a group's first `quota` rows are its test rows.
 */
function drawTestRows(n: number, labels: ArrayLike<number> | undefined, testCount: number, rng: Rng): { rows: Int32Array; quota: number }[] {
  const groups = allocate(n, labels, testCount);
  for (const g of groups) rng.shuffle(g.rows);
  return groups;
}

/** Row ids (a table's id column, see collectDataset) follow their rows into each part. */
function withIds(part: Dataset, whole: Dataset & { readonly ids?: readonly string[] }, rows: readonly number[]): Dataset {
  const ids = whole.ids;
  return ids ? Object.assign(part, { ids: rows.map((i) => ids[i]!) }) : part;
}

function resolveTestCount(test: number, n: number, name: string): number {
  const count = test > 0 && test < 1 ? Math.round(test * n) : test;
  if (!Number.isInteger(count) || count < 1 || count >= n) {
    throw new LatentkitError(
      'E_OPTION',
      `cannot split ${n} rows of "${name}" with test=${test}: need a count in [1, ${n - 1}] or a fraction in (0, 1) that leaves rows on both sides`,
    );
  }
  return count;
}

/** Groups rows by label (one group without labels) and gives each group its test quota. */
function allocate(n: number, labels: ArrayLike<number> | undefined, testCount: number): { rows: Int32Array; quota: number }[] {
  if (!labels) return [{ rows: Int32Array.from({ length: n }, (_, i) => i), quota: testCount }];
  const byLabel = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const label = labels[i]!;
    const group = byLabel.get(label);
    if (group) group.push(i);
    else byLabel.set(label, [i]);
  }
  const groups = [...byLabel.entries()].sort((a, b) => a[0] - b[0]).map(([, rows]) => Int32Array.from(rows));
  // Exact integer arithmetic: quota = floor(testCount·size / n), remainder decides the leftovers.
  const shares = groups.map((rows, order) => {
    const exact = testCount * rows.length;
    return { rows, order, quota: Math.floor(exact / n), remainder: exact % n };
  });
  let left = testCount - shares.reduce((s, g) => s + g.quota, 0);
  for (const g of [...shares].sort((a, b) => b.remainder - a.remainder || a.order - b.order)) {
    if (left === 0) break;
    g.quota++;
    left--;
  }
  return shares;
}
