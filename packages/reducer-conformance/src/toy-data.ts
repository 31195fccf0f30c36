import { createMatrix, createRng, type Dataset } from '@latentkit/core';

/**
 * A small seeded image dataset: one blurry blob per image on a side×side grid, in three classes by its
 * horizontal position, values in [0, 1]. Structured enough that any reducer beats predicting the mean.
 */
export function toyImages(n = 96, seed = 1, side = 8): Dataset {
  const rng = createRng(seed);
  const d = side * side;
  const scale = side / 8;
  const x = new Float32Array(n * d);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const cls = i % 3;
    labels[i] = cls;
    const cx = (2 + cls * 2 + rng.next()) * scale;
    const cy = (2 + rng.next() * 4) * scale;
    for (let r = 0; r < side; r++) {
      for (let c = 0; c < side; c++) {
        const v = Math.exp(-((r - cy) ** 2 + (c - cx) ** 2) / (4 * scale * scale)) + 0.05 * rng.next();
        x[i * d + r * side + c] = Math.min(1, v);
      }
    }
  }
  return { name: 'toy-images', x: createMatrix(n, d, x), labels, imageShape: [side, side, 1] };
}
