import { createMatrix, createRng, type Dataset } from '@latentkit/core';

/** Three well-separated Gaussian clusters in `dims` dimensions, `perCluster` rows each, labels 0..2, seeded. */
export function threeClusters(perCluster = 40, dims = 8, seed = 1, name = 'three-clusters'): Dataset {
  const rng = createRng(seed);
  const n = 3 * perCluster;
  const x = new Float32Array(n * dims);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    labels[i] = c;
    // Centres 6 apart along one axis each; unit noise, so clusters never touch.
    for (let t = 0; t < dims; t++) x[i * dims + t] = (t === c ? 6 : 0) + rng.normal();
  }
  return { name, x: createMatrix(n, dims, x), labels };
}

/**
 * The fraction of query rows whose k nearest reference rows (by euclidean distance in the codes) vote
 * for the query's own label. With `leaveOneOut`, queries are the reference rows themselves, each
 * excluded from its own vote.
 */
export function knnLabelAccuracy(
  reference: { data: Float32Array; rows: number; cols: number },
  referenceLabels: Int32Array,
  queries: { data: Float32Array; rows: number; cols: number },
  queryLabels: Int32Array,
  options: { k?: number; leaveOneOut?: boolean } = {},
): number {
  const k = options.k ?? 5;
  const d = reference.cols;
  let correct = 0;
  for (let i = 0; i < queries.rows; i++) {
    const order: [number, number][] = [];
    for (let j = 0; j < reference.rows; j++) {
      if (options.leaveOneOut && j === i) continue;
      let s = 0;
      for (let t = 0; t < d; t++) s += (reference.data[j * d + t]! - queries.data[i * d + t]!) ** 2;
      order.push([s, j]);
    }
    order.sort((a, b) => a[0] - b[0]);
    const votes = new Map<number, number>();
    for (const [, j] of order.slice(0, k)) votes.set(referenceLabels[j]!, (votes.get(referenceLabels[j]!) ?? 0) + 1);
    const winner = [...votes].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0];
    if (winner === queryLabels[i]) correct++;
  }
  return correct / queries.rows;
}
