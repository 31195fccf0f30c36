import { createRng, type Dataset } from '@latentkit/core';

/** n seeded 28×28 grey images of two soft blobs each, pixels in [0, 1]: small, image-like test data. */
export function blobImages(n: number, seed = 1, size = 28): Dataset {
  const rng = createRng(seed);
  const data = new Float32Array(n * size * size);
  for (let i = 0; i < n; i++) {
    for (let b = 0; b < 2; b++) {
      const cy = 6 + rng.next() * (size - 12), cx = 6 + rng.next() * (size - 12), s = 2 + rng.next() * 2;
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const k = i * size * size + y * size + x;
          data[k] = Math.min(1, data[k]! + Math.exp(-((y - cy) ** 2 + (x - cx) ** 2) / (2 * s * s)));
        }
      }
    }
  }
  return { name: 'blobs', x: { data, rows: n, cols: size * size }, imageShape: [size, size, 1] };
}
