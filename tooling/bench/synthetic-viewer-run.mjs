// A run folder (format: @latentkit/run format.ts) of n synthetic points for the viewer bench, written
// directly (no model is fitted): clustered float32 codes in d dimensions, 4×4 grey "images", labels, a
// train/test split and one anomaly score per test point in latent.json. Deterministic for a seed.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** mulberry32: a small seeded generator, so the run is the same on every machine. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(next) {
  return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

const bytes = (a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/**
 * Writes the run to `dir`: `clusters` Gaussian blobs whose centres sit apart in the codes' first two
 * dimensions (the rest is smaller noise), so their 2-D projection shows separate blobs.
 */
export async function writeSyntheticViewerRun(dir, { n, latentDim = 8, clusters = 10, testFraction = 0.2, seed = 1 }) {
  const next = rng(seed);
  const side = 4;
  const features = side * side;
  const codes = new Float32Array(n * latentDim);
  const images = new Uint8Array(n * features);
  const labels = new Int32Array(n);
  const split = new Uint8Array(n);
  const testScores = [];
  const centres = Array.from({ length: clusters }, (_, k) => [6 * Math.cos((2 * Math.PI * k) / clusters), 6 * Math.sin((2 * Math.PI * k) / clusters)]);
  const firstTest = Math.round(n * (1 - testFraction));
  for (let i = 0; i < n; i++) {
    const label = i % clusters;
    labels[i] = label;
    split[i] = i >= firstTest ? 1 : 0;
    let d2 = 0;
    for (let j = 0; j < latentDim; j++) {
      const noise = gaussian(next) * (j < 2 ? 1 : 0.3);
      codes[i * latentDim + j] = (j < 2 ? centres[label][j] : 0) + noise;
      d2 += noise * noise;
    }
    // The picture: one bright pixel per label on a dim background, brighter the further from the centre.
    for (let p = 0; p < features; p++) images[i * features + p] = p === label % features ? 255 : Math.min(255, Math.round(20 * d2));
    if (split[i] === 1) testScores.push(Number((d2 / 2).toFixed(4)));
  }
  await mkdir(join(dir, 'points'), { recursive: true });
  await mkdir(join(dir, 'synthetic'), { recursive: true });
  await writeFile(join(dir, 'points', 'images.bin'), images);
  await writeFile(join(dir, 'points', 'labels.bin'), bytes(labels));
  await writeFile(join(dir, 'points', 'split.bin'), split);
  await writeFile(join(dir, 'synthetic', 'codes.bin'), bytes(codes));
  await writeFile(join(dir, 'synthetic', 'latent.json'), `${JSON.stringify({ scores: { density: testScores, combined: testScores } })}\n`);
  const manifest = {
    format: 'latentkit-run',
    formatVersion: 2,
    createdAt: new Date(0).toISOString(),
    seed,
    data: { spec: `synthetic:blobs-${n}`, name: `synthetic blobs (${n} points)`, n, features, imageShape: [side, side, 1], labelNames: Array.from({ length: clusters }, (_, k) => `blob ${k}`), hasLabels: true },
    // Codes only: the scatter needs nothing else, and a fit-transform model is never loaded for decoding.
    models: [{ dir: 'synthetic', kind: 'synthetic', displayName: 'Synthetic codes', latentDim, capabilities: ['fit-transform'], codes: true }],
  };
  await writeFile(join(dir, 'run.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { dir, n, latentDim, codesBytes: codes.byteLength };
}
