// Training throughput of the default dense-ae 784-256-64-16 (batch 128) on wasm, and on cpu for
// reference. Uses the built dist: run `pnpm --filter @latentkit/dense-ae build` first.
// Standalone: node packages/dense-ae/bench/dense-ae.bench.mjs  → prints JSON.
import { pathToFileURL } from 'node:url';
import { fitDenseAe } from '../dist/index.js';

const BATCH = 128;
const EPOCH_ROWS = 8000;

function rowsOf(rows, seed) {
  let s = seed >>> 0;
  const data = new Float32Array(rows * 784);
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 4294967296;
  }
  return { name: 'bench-rows', x: { data, rows, cols: 784 } };
}

async function measure(name, options, backend, batches, log) {
  // A warm-up batch first: the first steps grow the wasm heap.
  const settings = { latentDim: 16, epochs: 1, batchSize: BATCH, backend, ...options };
  const warmUp = await fitDenseAe(rowsOf(BATCH, 2), settings);
  warmUp.model.dispose();
  const { model: ae, result } = await fitDenseAe(rowsOf(batches * BATCH, 1), settings, { seed: 1 });
  ae.dispose();
  const samplesPerSecond = result.info.samplesPerSecond;
  const row = { name, backend, batchSize: BATCH, batches, samplesPerSecond, secondsPerEpoch: EPOCH_ROWS / samplesPerSecond, epochRows: EPOCH_ROWS };
  log(`${name} ${backend}: ${samplesPerSecond.toFixed(0)} samples/s, ${row.secondsPerEpoch.toFixed(2)} s per 8k-row epoch`);
  return row;
}

export default async function bench({ log = () => {} } = {}) {
  const rows = [
    await measure('dense-ae 784-256-64-16 train', {}, 'wasm', 63, log),
    await measure('dense-ae 784-256-64-16 train', {}, 'cpu', 10, log),
    await measure('linear-ae 784-16 train', { linear: true }, 'wasm', 63, log),
  ];
  return { suite: 'dense-ae', rows };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await bench({ log: (m) => console.error(m) }), null, 2));
}
