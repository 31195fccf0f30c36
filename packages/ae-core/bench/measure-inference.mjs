// Not a test: times conv-ae (default widths, MNIST-sized 28×28 rows, d=16) encode + decode of 8,000 random rows
// on 1 and on 2 threads, interleaved A/B so other load on the machine hits both alike; prints JSON with medians,
// the process CPU seconds per run (all threads), and a plain-JS baseline: how much faster two busy worker threads
// finish twice the work of one here (≈ 2 on two idle cores, ≈ 1 when the machine is saturated by other work).
// Run from packages/ae-core after building ae-core and conv-ae: node bench/measure-inference.mjs [rounds]
import { Worker } from 'node:worker_threads';
import { createRng } from '@latentkit/core';
import { AutoencoderReducer, ParamStore, setupBackend } from '../dist/index.js';
import { useTrainingWorkers } from '../dist/node.js';
import { convAeDefinition } from '../../conv-ae/dist/index.js';

const rounds = Number(process.argv[2] ?? 5);
const rows = 8000;
useTrainingWorkers();
await setupBackend('wasm');
const context = { kind: 'conv-ae', inputShape: [28, 28, 1], latentDim: 16, options: convAeDefinition.options.parse({}) };
const model = (threads) => {
  const architecture = convAeDefinition.build(context);
  const store = ParamStore.initialise(architecture.params, createRng(1));
  return new AutoencoderReducer({ ...context, architecture, store, seed: 1, history: [], replica: convAeDefinition.replica, inferenceThreads: threads });
};
const rng = createRng(2);
const x = { rows, cols: 784, data: Float32Array.from({ length: rows * 784 }, () => rng.next()) };
const models = { 1: model(1), 2: model(2) };

const time = async (threads) => {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const codes = await models[threads].encode(x);
  const t1 = performance.now();
  await models[threads].decode(codes);
  const t2 = performance.now();
  const cpu = process.cpuUsage(c0);
  return { encode: (t1 - t0) / 1000, decode: (t2 - t1) / 1000, total: (t2 - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
};
const spin = async (n) => {
  const code = 'let s = 0; for (let i = 0; i < 3e8; i++) s += i % 7; require("node:worker_threads").parentPort.postMessage(s);';
  const t0 = performance.now();
  await Promise.all(Array.from({ length: n }, () => new Promise((resolve) => new Worker(code, { eval: true }).once('message', resolve))));
  return (performance.now() - t0) / 1000;
};
const spinOne = await spin(1);
const spinTwo = await spin(2);
const baselineScaling = +((2 * spinOne) / spinTwo).toFixed(2);
// The first 2-thread call starts the pool: timed apart, then warm-up for both.
const t0 = performance.now();
await models[2].encode({ rows: 1024, cols: 784, data: x.data.subarray(0, 1024 * 784) });
const poolStartSeconds = (performance.now() - t0) / 1000;
await time(1);
const runs = { 1: [], 2: [] };
for (let r = 0; r < rounds; r++) for (const threads of r % 2 ? [2, 1] : [1, 2]) runs[threads].push(await time(threads));
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const summary = (rs) => ({
  encode: +median(rs.map((r) => r.encode)).toFixed(2),
  decode: +median(rs.map((r) => r.decode)).toFixed(2),
  total: +median(rs.map((r) => r.total)).toFixed(2),
  cpu: +median(rs.map((r) => r.cpu)).toFixed(2),
  runs: rs.map((r) => +r.total.toFixed(2)),
});
const one = summary(runs[1]);
const two = summary(runs[2]);
console.log(JSON.stringify({ rows, rounds, baselineScaling, poolStartSeconds: +poolStartSeconds.toFixed(2), threads1: one, threads2: two, speedup: +(one.total / two.total).toFixed(2), report: models[2].inferenceReport }, null, 1));
models[1].dispose();
models[2].dispose();
