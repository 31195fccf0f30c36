// Training throughput of the five-layer conv-ae (d=16, batch 128) on wasm — default and lecture widths —
// and on cpu for reference (fewer batches: it is far slower); the step profile and 1 vs N worker threads. Uses the built dist: run `pnpm --filter @latentkit/conv-ae build` first.
// Standalone: node packages/conv-ae/bench/conv-ae.bench.mjs  → prints JSON (LATENTKIT_BENCH_QUICK=1: a few batches, a smoke run).
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import * as aeCore from '@latentkit/ae-core';
import { useTrainingWorkers } from '@latentkit/ae-core/node';
import { createRng } from '@latentkit/core';
import { convAeDefinition, fitConvAe } from '../dist/index.js';
import { profileTrainStep } from '../../../tooling/bench/train-profile.mjs';
import { BENCH_QUICK, benchBatches, measureThreadPair } from '../../../tooling/bench/train-throughput.mjs';
import { torchPeer, withTorchRatio } from '../../../tooling/bench/torch-peer.mjs';

const LECTURE = { channels: [32, 32, 32, 32] };

const BATCH = 128;
const EPOCH_ROWS = 8000; // the embedded MNIST training split

/** Random digit-sized images; throughput does not depend on pixel content. */
function images(rows, seed) {
  let s = seed >>> 0;
  const data = new Float32Array(rows * 784);
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 4294967296;
  }
  return { name: 'bench-images', x: { data, rows, cols: 784 }, imageShape: [28, 28, 1] };
}

async function measure(name, options, backend, batches, log) {
  const settings = { latentDim: 16, epochs: 1, batchSize: BATCH, backend, ...options };
  // One warm-up batch on wasm first: the first steps set up XNNPACK operators and grow the heap.
  if (backend === 'wasm') {
    const warmUp = await fitConvAe(images(BATCH, 2), settings);
    warmUp.model.dispose();
  }
  const { model: ae, result } = await fitConvAe(images(batches * BATCH, 1), settings, { seed: 1 });
  ae.dispose();
  const samplesPerSecond = result.info.samplesPerSecond;
  const row = { name, backend, batchSize: BATCH, batches, samplesPerSecond, secondsPerEpoch: EPOCH_ROWS / samplesPerSecond, epochRows: EPOCH_ROWS };
  log(`${name} ${backend}: ${samplesPerSecond.toFixed(0)} samples/s, ${row.secondsPerEpoch.toFixed(1)} s per 8k-row epoch`);
  return row;
}

export default async function bench({ log = () => {} } = {}) {
  const batches = Number(process.env.CONV_AE_BENCH_BATCHES ?? benchBatches(12));
  const defaults = await measure('conv-ae default (16,16,32,32) d=16 train', {}, 'wasm', batches, log);
  const lecture = await measure('conv-ae lecture widths (32,32,32,32) d=16 train', { channels: [32, 32, 32, 32] }, 'wasm', batches, log);
  const rest = [
    await measure('conv-ae default (16,16,32,32) d=16 train', {}, 'cpu', 1, log),
    // Where a step's time goes at the lecture's widths, with tfjs's Adam (before) and the fused Adam (after).
    ...(await profiles(log)),
  ];
  // Data-parallel at the lecture's widths: this thread alone, then BENCH_WORKERS threads, each over one 8k-row
  // epoch (63 batches) as the issue measures it: the N-thread run starts a fresh pool whose workers' first
  // steps (wasm tier-up, heap growth) take ≈0.8 s, 12% of a 12-batch run but 2% of an epoch.
  const threadRows = await threads(Number(process.env.CONV_AE_BENCH_BATCHES ?? benchBatches(Math.ceil(EPOCH_ROWS / BATCH))), log);
  // PyTorch on the lecture's design, batch and machine, in this run (where python3-torch is installed).
  const peer = await torchPeer({ which: 'conv-lecture', batches: benchBatches(20, 4), reps: BENCH_QUICK ? 1 : 3, name: 'pytorch conv-ae lecture widths (32,32,32,32) d=16 train (same run)', log });
  // The ratio goes on the thread rows: the fit rows above train on this thread only (no useTrainingWorkers here,
  // so that the cpu row stays a one-thread reference), where the CLI's fit trains on every core.
  const rows = [defaults, lecture, ...rest, ...withTorchRatio(threadRows, peer, 'conv-lecture'), peer];
  return { suite: 'conv-ae', ...(BENCH_QUICK ? { quick: true } : {}), rows };
}

async function profiles(log) {
  const rows = [];
  for (const optimizer of ['tfjs', 'fused']) {
    const row = await profileTrainStep({ tf, aeCore, createRng, def: convAeDefinition, inputShape: [28, 28, 1], latentDim: 16, options: LECTURE, optimizer, reps: BENCH_QUICK ? 1 : 3, name: 'conv-ae lecture widths (32,32,32,32) d=16' });
    log(`${row.name}: forward ${row.msForward} ms, backward ${row.msBackward} ms, optimizer ${row.msOptimizer} ms, step ${row.msStep} ms`);
    rows.push(row);
  }
  return rows;
}

async function threads(batches, log) {
  const common = { aeCore, useTrainingWorkers, createRng, def: convAeDefinition, moduleUrl: new URL('../dist/index.js', import.meta.url).href, exportName: 'convAeDefinition', inputShape: [28, 28, 1], latentDim: 16, options: LECTURE, batch: BATCH, batches, name: 'conv-ae lecture widths (32,32,32,32) d=16 train (trainModel)', log };
  return measureThreadPair(common);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await bench({ log: (m) => console.error(m) }), null, 2));
}
