// Training throughput of the default dense-ae 784-256-64-16 (batch 128) on wasm, and on cpu for
// reference; the step profile (forward/backward/optimizer, top kernels) and 1 vs N worker threads. Uses the built dist: run `pnpm --filter @latentkit/dense-ae build` first.
// Standalone: node packages/dense-ae/bench/dense-ae.bench.mjs  → prints JSON (LATENTKIT_BENCH_QUICK=1: a few batches, a smoke run).
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import * as aeCore from '@latentkit/ae-core';
import { useTrainingWorkers } from '@latentkit/ae-core/node';
import { createRng } from '@latentkit/core';
import { denseAeDefinition, fitDenseAe } from '../dist/index.js';
import { profileTrainStep } from '../../../tooling/bench/train-profile.mjs';
import { BENCH_QUICK, benchBatches, measureThreadPair } from '../../../tooling/bench/train-throughput.mjs';
import { torchPeer, withTorchRatio } from '../../../tooling/bench/torch-peer.mjs';

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
  // As the CLI does at start: worker threads allowed, and the wasm backend on a shared heap (for the product helper).
  useTrainingWorkers();
  const fit = await measure('dense-ae 784-256-64-16 train', {}, 'wasm', benchBatches(63), log);
  const rest = [
    await measure('dense-ae 784-256-64-16 train', {}, 'cpu', benchBatches(10, 2), log),
    await measure('linear-ae 784-16 train', { linear: true }, 'wasm', benchBatches(63), log),
    // Where a step's time goes, with tfjs's Adam (before) and ae-core's fused Adam (after).
    ...(await profiles(log)),
  ];
  // Data-parallel: this thread alone, then BENCH_WORKERS threads (worker replicas), same batches; then the
  // same request as a fit makes it: one thread and a product helper, since replicas do not pay here.
  const threadRows = await threads(log);
  // PyTorch on the same architecture, batch and machine, in this run (where python3-torch is installed).
  const peer = await torchPeer({ which: 'dense', batches: benchBatches(63), reps: BENCH_QUICK ? 1 : 3, name: 'pytorch dense 784-256-64-16 train (same run)', log });
  const rows = [...withTorchRatio([fit], peer, 'dense'), ...rest, ...withTorchRatio(threadRows, peer, 'dense'), peer];
  return { suite: 'dense-ae', ...(BENCH_QUICK ? { quick: true } : {}), rows };
}

async function profiles(log) {
  const rows = [];
  for (const optimizer of ['tfjs', 'fused']) {
    const row = await profileTrainStep({ tf, aeCore, createRng, def: denseAeDefinition, inputShape: [784], latentDim: 16, options: {}, optimizer, name: 'dense-ae 784-256-64-16' });
    log(`${row.name}: forward ${row.msForward} ms, backward ${row.msBackward} ms, optimizer ${row.msOptimizer} ms, step ${row.msStep} ms`);
    rows.push(row);
  }
  return rows;
}

async function threads(log) {
  const common = { aeCore, useTrainingWorkers, createRng, def: denseAeDefinition, moduleUrl: new URL('../dist/index.js', import.meta.url).href, exportName: 'denseAeDefinition', inputShape: [784], latentDim: 16, batch: BATCH, batches: benchBatches(63), asFitPicks: true, name: 'dense-ae 784-256-64-16 train (trainModel)', log };
  return measureThreadPair(common);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await bench({ log: (m) => console.error(m) }), null, 2));
}
