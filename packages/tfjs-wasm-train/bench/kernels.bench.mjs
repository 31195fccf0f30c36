// Throughput of the wasm training kernels against upstream wasm and the cpu backend, in GFLOP/s.
// Runs from the repo's bench runner (default export) or standalone: `node bench/kernels.bench.mjs`.
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { registerWasmTrainingKernels, unregisterWasmTrainingKernels } from '../dist/index.js';

/** Median milliseconds of `fn` (which returns tensors to read back and dispose) after one warm-up. */
function medianMs(fn, minReps = 3, budgetMs = 400) {
  // A time budget rather than a fixed count keeps slow variants (upstream transposed matMul, cpu) short.
  const run = () => {
    const out = fn();
    const list = Array.isArray(out) ? out : [out];
    for (const t of list) t.dataSync();
    tf.dispose(list);
  };
  run();
  const times = [];
  const start = performance.now();
  while (times.length < minReps || (performance.now() - start < budgetMs && times.length < 25)) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const convFilter = [3, 3, 16, 32];
/** tfjs-backend-cpu's conv backprop is element-by-element (minutes at batch 32), so cpu runs batch 2. */
const convFlops = (batch) => 2 * batch * 28 * 28 * 3 * 3 * 16 * 32;
const mm = 512;
const mmFlops = 2 * mm ** 3;

function kernelCases(batch) {
  const xShape = [batch, 28, 28, 16];
  const x = tf.randomNormal(xShape, 0, 1, 'float32', 1);
  const w = tf.randomNormal(convFilter, 0, 1, 'float32', 2);
  const dy = tf.randomNormal([batch, 28, 28, 32], 0, 1, 'float32', 3);
  const a = tf.randomNormal([mm, mm], 0, 1, 'float32', 4);
  const b = tf.randomNormal([mm, mm], 0, 1, 'float32', 5);
  const tensors = [x, w, dy, a, b];
  const cases = [
    { kernel: 'Conv2DBackpropFilter', shape: `x ${batch}x28x28x16, filter 3x3x16x32, same`, flops: convFlops(batch),
      fn: () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: convFilter }) },
    { kernel: 'Conv2DBackpropInput', shape: `dy ${batch}x28x28x32, filter 3x3x16x32, same`, flops: convFlops(batch),
      fn: () => tf.conv2dTranspose(dy, w, xShape, 1, 'same') },
    { kernel: 'Conv2D (forward, for scale)', shape: `x ${batch}x28x28x16, filter 3x3x16x32, same`, flops: convFlops(batch),
      fn: () => tf.conv2d(x, w, 1, 'same') },
    { kernel: 'BatchMatMul A·B', shape: `${mm}x${mm}x${mm}`, flops: mmFlops, fn: () => tf.matMul(a, b) },
    { kernel: 'BatchMatMul Aᵀ·B', shape: `${mm}x${mm}x${mm}`, flops: mmFlops, fn: () => tf.matMul(a, b, true, false) },
    { kernel: 'BatchMatMul A·Bᵀ', shape: `${mm}x${mm}x${mm}`, flops: mmFlops, fn: () => tf.matMul(a, b, false, true) },
  ];
  return { cases, tensors };
}

/** One Adam step of a dense 784-256-32-256-784 autoencoder on a batch of 128. */
function denseAutoencoderStep() {
  const sizes = [784, 256, 32, 256, 784];
  const weights = sizes.slice(1).map((n, i) => tf.variable(tf.randomNormal([sizes[i], n], 0, 0.05, 'float32', 10 + i)));
  const x = tf.randomUniform([128, 784], 0, 1, 'float32', 20);
  const optimizer = tf.train.adam(1e-3);
  const loss = () => {
    let h = x;
    weights.forEach((w, i) => { h = i === weights.length - 1 ? tf.sigmoid(tf.matMul(h, w)) : tf.relu(tf.matMul(h, w)); });
    return tf.mean(tf.squaredDifference(h, x));
  };
  // forward 2·m·k·n per layer, backward twice that
  const flops = 3 * 2 * 128 * sizes.slice(1).reduce((s, n, i) => s + sizes[i] * n, 0);
  return { fn: () => optimizer.minimize(loss, true), flops, dispose: () => { optimizer.dispose(); tf.dispose([x, ...weights]); } };
}

/** One Adam step of a small conv autoencoder (28x28x1, 16/32 channels, stride 2) on a batch of 64. */
function convAutoencoderStep() {
  const v = (shape, seed) => tf.variable(tf.randomNormal(shape, 0, 0.1, 'float32', seed));
  const p = [v([3, 3, 1, 16], 30), v([3, 3, 16, 32], 31), v([3, 3, 16, 32], 32), v([3, 3, 1, 16], 33)];
  const x = tf.randomUniform([64, 28, 28, 1], 0, 1, 'float32', 34);
  const optimizer = tf.train.adam(1e-3);
  const loss = () => {
    const h1 = tf.relu(tf.conv2d(x, p[0], 2, 'same'));
    const h2 = tf.relu(tf.conv2d(h1, p[1], 2, 'same'));
    const u1 = tf.relu(tf.conv2dTranspose(h2, p[2], [64, 14, 14, 16], 2, 'same'));
    return tf.mean(tf.squaredDifference(tf.sigmoid(tf.conv2dTranspose(u1, p[3], [64, 28, 28, 1], 2, 'same')), x));
  };
  return { fn: () => optimizer.minimize(loss, true), flops: 0, dispose: () => { optimizer.dispose(); tf.dispose([x, ...p]); } };
}

async function measure(variant, backend, rows, log, { kernels = true, steps = true } = {}) {
  await tf.setBackend(backend);
  await tf.ready();
  const round = (n) => Math.round(n * 100) / 100;
  if (kernels) {
    const { cases, tensors } = kernelCases(backend === 'cpu' ? 2 : 32);
    for (const c of cases) {
      let row;
      try {
        const ms = medianMs(c.fn, backend === "cpu" ? 1 : 3);
        row = { kernel: c.kernel, variant, shape: c.shape, ms: round(ms), gflops: round(c.flops / ms / 1e6) };
      } catch (error) {
        row = { kernel: c.kernel, variant, shape: c.shape, ms: null, gflops: null, error: String(error.message).split('\n')[0] };
      }
      rows.push(row);
      log(`${row.kernel} [${variant}] ${row.gflops ?? row.error} GFLOP/s`);
    }
    tf.dispose(tensors);
  }
  if (steps) {
    for (const [name, make] of [['dense AE Adam step, batch 128', denseAutoencoderStep], ['conv AE Adam step, batch 64', convAutoencoderStep]]) {
      const step = make();
      let row;
      try {
        const ms = medianMs(step.fn, 3, 1500);
        row = { kernel: name, variant, shape: '', ms: round(ms), gflops: step.flops ? round(step.flops / ms / 1e6) : null };
      } catch (error) {
        row = { kernel: name, variant, shape: '', ms: null, gflops: null, error: String(error.message).split('\n')[0] };
      }
      step.dispose();
      rows.push(row);
      log(`${name} [${variant}] ${row.ms ?? row.error} ms`);
    }
  }
}

export default async function bench({ log = () => {} } = {}) {
  await import('@tensorflow/tfjs-backend-wasm');
  const rows = [];
  unregisterWasmTrainingKernels();
  await measure('wasm upstream', 'wasm', rows, log);
  registerWasmTrainingKernels({ fastBatchMatMul: false });
  await measure('wasm + conv kernels only', 'wasm', rows, log, { kernels: false });
  registerWasmTrainingKernels();
  await measure('wasm + tfjs-wasm-train', 'wasm', rows, log);
  await measure('cpu', 'cpu', rows, log, { steps: false });
  return { suite: 'tfjs-wasm-train', rows };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await bench({ log: (line) => console.error(line) });
  console.log(JSON.stringify(result, null, 2));
}
