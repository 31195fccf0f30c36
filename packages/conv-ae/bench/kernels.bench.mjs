// Micro-benchmark of conv-ae's hot convolution kernels on wasm: for each of the default layout's stride-2 and
// one-channel gradients, the current path against candidate rewrites, on the same inputs in one process,
// interleaved (the machine is shared), median of several reps; one row per variant (ms, GFLOP/s, speedup over
// the group's first variant, max relative difference from it). Then the image-end layers as conv-ae runs them
// (forward + the gradients a training step takes), and one whole training step (fwd+bwd, no optimizer) of the
// default layout, interleaved with an older build's step when KERNEL_BENCH_BASELINE names its dist folder (a
// copy inside packages/conv-ae, e.g. dist-before/, so its imports resolve). Uses the built dist.
// Standalone: node packages/conv-ae/bench/kernels.bench.mjs → JSON (KERNEL_BENCH_BATCHES=64,128
// KERNEL_BENCH_REPS=7 KERNEL_BENCH_GROUPS=kernels,layers,step; LATENTKIT_BENCH_QUICK=1: batch 64, one rep).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import * as aeCore from '@latentkit/ae-core';
import { createRng } from '@latentkit/core';
import { conv2dStride1, fullConv2d } from '../dist/fast-conv.js';
import { fullConv2dToFewChannels, inputConv2d } from '../dist/fast-conv-single-channel.js';
import { convAeDefinition } from '../dist/index.js';

const QUICK = process.env.LATENTKIT_BENCH_QUICK === '1';
const BATCHES = (process.env.KERNEL_BENCH_BATCHES ?? (QUICK ? '64' : '64,128')).split(',').map(Number);
const REPS = Number(process.env.KERNEL_BENCH_REPS ?? (QUICK ? 1 : 7));
const GROUPS = (process.env.KERNEL_BENCH_GROUPS ?? 'kernels,layers,step').split(',');

const flip = (w) => tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2]);

/** The stock gradient kernels (tfjs-wasm-train's JS im2col + matMul), called directly. */
const backpropFilter = (x, dy, filterShape, s) =>
  tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: s, pad: 'valid', dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape });
const backpropInput = (dy, w, inputShape, s) => tf.conv2dTranspose(dy, w, inputShape, s, 'valid');

/** dW of a stride-s valid conv as one conv over the batch axis with dilation s (x cropped to what the windows cover). */
function dilatedBatchCorr(x, dy, k, s) {
  const [n, , , c] = x.shape;
  const [, oh, ow] = dy.shape;
  const xc = tf.slice(x, [0, 0, 0, 0], [n, s * (oh - 1) + k, s * (ow - 1) + k, c]);
  return tf.transpose(tf.conv2d(tf.transpose(xc, [3, 1, 2, 0]), tf.transpose(dy, [1, 2, 0, 3]), 1, 'valid', 'NHWC', s), [1, 2, 0, 3]);
}

/** Transposed stride-2 conv by zero insertion: dilate dy, pad k−1, stride-1 conv with the flipped filter. */
function zeroInsert2(dy, w, [n, h, wd]) {
  const s = 2;
  const [, oh, ow, o] = dy.shape;
  const k = w.shape[0];
  const z1 = tf.reshape(tf.stack([dy, tf.zerosLike(dy)], 3), [n, oh, ow * s, o]).slice([0, 0, 0, 0], [n, oh, s * (ow - 1) + 1, o]);
  const z2 = tf.reshape(tf.stack([z1, tf.zerosLike(z1)], 2), [n, oh * s, s * (ow - 1) + 1, o]).slice([0, 0, 0, 0], [n, s * (oh - 1) + 1, s * (ow - 1) + 1, o]);
  const p = tf.pad(z2, [[0, 0], [k - 1, k - 1 + h - (s * (oh - 1) + k)], [k - 1, k - 1 + wd - (s * (ow - 1) + k)], [0, 0]]);
  return tf.conv2d(p, flip(w), 1, 'valid');
}

/**
 * Transposed stride-s conv as one sub-pixel conv: every output phase (a, b) is a stride-1 full correlation
 * of dy with the taps W[a + s·u, b + s·v]; all s² phases run as one XNNPACK conv with s²·C output channels,
 * then a transpose interleaves them.
 */
function subPixel(dy, w, [n, h, wd, c], s) {
  const [, oh, ow, o] = dy.shape;
  const k = w.shape[0];
  const K = Math.ceil(k / s);
  const f = tf.tidy(() => {
    const wp = tf.pad(w, [[0, s * K - k], [0, s * K - k], [0, 0], [0, 0]]).reshape([K, s, K, s, c, o]);
    return tf.reshape(tf.transpose(tf.reverse(wp, [0, 2]), [0, 2, 5, 1, 3, 4]), [K, K, o, s * s * c]);
  });
  const padded = tf.pad(dy, [[0, 0], [K - 1, K - 1], [K - 1, K - 1], [0, 0]]);
  const y = tf.conv2d(padded, f, 1, 'valid'); // [n, R, T, s·s·c]
  const R = oh + K - 1, T = ow + K - 1;
  const inter = tf.reshape(tf.transpose(tf.reshape(y, [n * R, T, s, s * c]), [0, 2, 1, 3]), [n, R * s, T * s, c]);
  if (R * s >= h && T * s >= wd) return tf.slice(inter, [0, 0, 0, 0], [n, h, wd, c]);
  return tf.pad(inter, [[0, 0], [0, h - R * s], [0, wd - T * s], [0, 0]]);
}

/** im2col of a one-channel image by k² slices: [n, h, w, 1] → [n, h−k+1, w−k+1, k²] (tap order (i, j)). */
function im2colSlices(x, k) {
  const [n, h, w] = x.shape;
  const parts = [];
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) parts.push(tf.slice(x, [0, i, j, 0], [n, h - k + 1, w - k + 1, 1]));
  return tf.concat(parts, 3);
}
/** The same by a conv with a one-hot filter (XNNPACK does the gather). */
function im2colConv(x, k) {
  return tf.conv2d(x, tf.reshape(tf.eye(k * k), [k, k, 1, k * k]), 1, 'valid');
}

/** Full conv t [n,h,w,c] * W [k,k,c,1] → [n,h+k−1,w+k−1,1] as matMul then k² shifted adds. */
function fullO1MatMul(t, w) {
  const [n, h, wd, c] = t.shape;
  const k = w.shape[0];
  const cols = tf.reshape(tf.matMul(tf.reshape(t, [n * h * wd, c]), tf.reshape(tf.transpose(w, [2, 0, 1, 3]), [c, k * k])), [n, h, wd, k * k]);
  const parts = [];
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) parts.push(tf.pad(tf.slice(cols, [0, 0, 0, i * k + j], [n, h, wd, 1]), [[0, 0], [k - 1 - i, i], [k - 1 - j, j], [0, 0]]));
  return tf.addN(parts);
}

function median(v) {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function maxRelDiff(a, b) {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] / Math.max(1e-12, tf.max(tf.abs(b)).dataSync()[0]));
}

/** Times the variants interleaved; every variant is checked against the first (the current path). */
function compare(group, batch, flops, variants) {
  const ref = tf.tidy(() => variants[0][1]());
  const diffs = variants.map(([, f]) => tf.tidy(() => maxRelDiff(f(), ref)));
  ref.dispose();
  const times = variants.map(() => []);
  for (let r = 0; r < REPS + 2; r++) {
    variants.forEach(([, f], i) => {
      const t0 = performance.now();
      // Braces matter: a tidy that returns the typed array walks every element looking for tensors.
      tf.tidy(() => {
        f().dataSync();
      });
      if (r >= 2) times[i].push(performance.now() - t0);
    });
  }
  const base = median(times[0]);
  return variants.map(([name], i) => {
    const ms = median(times[i]);
    return { group, batch, variant: name, ms: +ms.toFixed(2), gflops: flops ? +(flops / ms / 1e6).toFixed(2) : null, speedup: +(base / ms).toFixed(2), maxRelDiff: +diffs[i].toExponential(1) };
  });
}

const rnd = (shape, seed) => tf.randomNormal(shape, 0, 1, 'float32', seed);

function kernelRows(n) {
  const rows = [];
  // Strided layers: encoder 4×4/2 20→9 16→32 and 3×3/2 9→4 32→32 (the decoder's mirrors are the same ops).
  for (const [h, k, c, o] of [[20, 4, 16, 32], [9, 3, 32, 32]]) {
    const s = 2;
    const oh = Math.floor((h - k) / s) + 1;
    const x = rnd([n, h, h, c], 1), w = rnd([k, k, c, o], 2), dy = rnd([n, oh, oh, o], 3);
    const flops = 2 * n * oh * oh * k * k * c * o;
    const tag = `${k}x${k}/2 ${h}->${oh} ${c}->${o}`;
    rows.push(...compare(`dW ${tag}`, n, flops, [
      ['Conv2DBackpropFilter (tfjs-wasm-train: shifted GEMM at equal strides)', () => backpropFilter(x, dy, [k, k, c, o], s)],
      ['dilated batch conv', () => dilatedBatchCorr(x, dy, k, s)],
    ]));
    rows.push(...compare(`dx / transposed fwd ${tag}`, n, flops, [
      ['Conv2DBackpropInput (tfjs-wasm-train: shifted GEMM from 8 channels, else matMul+col2im)', () => backpropInput(dy, w, [n, h, h, c], s)],
      ['zero-insert + conv', () => zeroInsert2(dy, w, [n, h, h, c])],
      ['sub-pixel conv', () => subPixel(dy, w, [n, h, h, c], s)],
    ]));
    rows.push(...compare(`fwd conv ${tag}`, n, flops, [['conv2d stride 2', () => tf.conv2d(x, w, s, 'valid')]]));
    tf.dispose([x, w, dy]);
  }
  // One-channel layers: decoder's last (full 24×24×16 → 28×28×1, k 5) and the encoder's first (28×28×1 → 24×24×16).
  {
    const k = 5, c = 16, h = 24, H = 28;
    const t = rnd([n, h, h, c], 4), w = rnd([k, k, c, 1], 5), g = rnd([n, H, H, 1], 6);
    const flops = 2 * n * h * h * k * k * c;
    const tpad = tf.pad(t, [[0, 0], [k - 1, k - 1], [k - 1, k - 1], [0, 0]]);
    rows.push(...compare('O=1 full conv fwd 24->28 16->1', n, flops, [
      ['pad + conv2d (O=1)', () => tf.conv2d(tf.pad(t, [[0, 0], [4, 4], [4, 4], [0, 0]]), w, 1, 'valid')],
      ['conv2dTranspose (tfjs-wasm-train Conv2DBackpropInput)', () => tf.conv2dTranspose(t, flip(w), [n, H, H, 1], 1, 'valid')],
      ['matMul + 25 shifted adds', () => fullO1MatMul(t, w)],
    ]));
    // dt = corr(g, flip(W)) and dW = tᵀ·im2col(g) (flipped taps).
    const wflipCols = () => tf.reshape(tf.reverse(tf.reshape(w, [k, k, c]), [0, 1]), [k * k, c]);
    rows.push(...compare('O=1 dt 28->24 1->16', n, flops, [
      ['conv2d (C=1)', () => tf.conv2d(g, flip(w), 1, 'valid')],
      ['im2col one-hot conv + matMul', () => tf.reshape(tf.matMul(tf.reshape(im2colConv(g, k), [n * h * h, k * k]), wflipCols()), [n, h, h, c])],
    ]));
    const dWFromCols = (cols) => tf.reshape(tf.reverse(tf.reshape(tf.transpose(tf.matMul(tf.reshape(t, [n * h * h, c]), tf.reshape(cols, [n * h * h, k * k]), true, false)), [k, k, c]), [0, 1]), [k, k, c, 1]);
    rows.push(...compare('O=1 dW [5,5,16,1]', n, flops, [
      ['batch conv (O=1)', () => tf.transpose(tf.conv2d(tf.transpose(tpad, [3, 1, 2, 0]), tf.transpose(g, [1, 2, 0, 3]), 1, 'valid'), [1, 2, 0, 3])],
      ['Conv2DBackpropFilter (tfjs-wasm-train: shifted GEMM at equal strides)', () => backpropFilter(tpad, g, [k, k, c, 1], 1)],
      ['tᵀ · im2col one-hot conv(g)', () => dWFromCols(im2colConv(g, k))],
    ]));
    // Encoder's first layer: x = g (28×28×1), W1 [5,5,1,16], dy = t (24×24×16).
    const w1 = rnd([k, k, 1, c], 7);
    rows.push(...compare('C=1 fwd 28->24 1->16', n, flops, [
      ['conv2d (C=1)', () => tf.conv2d(g, w1, 1, 'valid')],
      // k² slices + concat: ~50× slower than the conv on wasm (one small kernel each), kept as the measured reason.
      ['im2col slices + matMul', () => tf.reshape(tf.matMul(tf.reshape(im2colSlices(g, k), [n * h * h, k * k]), tf.reshape(w1, [k * k, c])), [n, h, h, c])],
      ['im2col one-hot conv + matMul', () => tf.reshape(tf.matMul(tf.reshape(im2colConv(g, k), [n * h * h, k * k]), tf.reshape(w1, [k * k, c])), [n, h, h, c])],
    ]));
    rows.push(...compare('C=1 dW [5,5,1,16]', n, flops, [
      ['batch conv (C=1)', () => tf.transpose(tf.conv2d(tf.transpose(g, [3, 1, 2, 0]), tf.transpose(t, [1, 2, 0, 3]), 1, 'valid'), [1, 2, 0, 3])],
      ['Conv2DBackpropFilter (tfjs-wasm-train: shifted GEMM at equal strides)', () => backpropFilter(g, t, [k, k, 1, c], 1)],
    ]));
    tf.dispose([t, w, g, tpad, w1]);
  }
  return rows;
}

// Each layer's output is summed against a fixed random cotangent: its gradients are the layer's backward pass.
function layerRows(n) {
  const rows = [];
  for (const c of [1, 3]) {
    const x = rnd([n, 28, 28, c], 11), w = rnd([5, 5, c, 16], 12), r = rnd([n, 24, 24, 16], 13);
    const flops = 2 * 2 * n * 24 * 24 * 25 * c * 16; // forward + dW
    const dW = (conv) => () => tf.grad((v) => tf.sum(tf.mul(conv(x, v), r)))(w);
    rows.push(...compare(`encoder first layer fwd+dW 28->24 ${c}->16`, n, flops, [
      ['conv2dStride1 (customGrad: dx+dW)', dW(conv2dStride1)],
      ['inputConv2d (tf.conv2d autodiff: dW only)', dW((a, b) => inputConv2d(a, b, 1))],
    ]));
    const t = rnd([n, 24, 24, 16], 14), wd = rnd([5, 5, 16, c], 15), g = rnd([n, 28, 28, c], 16);
    const both = (conv) => () => {
      const [dt, dwd] = tf.grads((a, b) => tf.sum(tf.mul(conv(a, b), g)))([t, wd]);
      return tf.concat([tf.reshape(dt, [-1]), tf.reshape(dwd, [-1])]);
    };
    rows.push(...compare(`decoder last layer fwd+dt+dW 24->28 16->${c}`, n, 3 * flops / 2, [
      ['fullConv2d (pad + XNNPACK, batchCorrelation dW)', both(fullConv2d)],
      ['fullConv2dToFewChannels (conv2dTranspose autodiff)', both(fullConv2dToFewChannels)],
    ]));
    tf.dispose([x, w, r, t, wd, g]);
  }
  return rows;
}

/** One training step's forward + backward of the default conv-ae (d=16) built from a conv-ae dist module. */
function stepOf(definition, n) {
  const architecture = definition.build({ kind: definition.kind, inputShape: [28, 28, 1], latentDim: 16, options: definition.options.parse({}) });
  const store = aeCore.ParamStore.initialise(architecture.params, createRng(1));
  const model = aeCore.reconstructionModel(architecture, store);
  const x = tf.randomUniform([n, 784], 0, 1, 'float32', 7);
  const ctx = { training: true, setState: () => {} };
  return () => {
    const { value, grads } = tf.variableGrads(() => model.loss(x, ctx), store.trainable);
    return tf.concat([tf.reshape(value, [1]), ...Object.values(grads).map((g) => tf.reshape(g, [-1]))]);
  };
}
export default async function bench({ log = () => {} } = {}) {
  await aeCore.setupBackend('wasm');
  const baselineDist = process.env.KERNEL_BENCH_BASELINE;
  const baseline = baselineDist ? (await import(pathToFileURL(resolve(baselineDist, 'index.js')).href)).convAeDefinition : undefined;
  const rows = [];
  for (const n of BATCHES) {
    if (GROUPS.includes('kernels')) rows.push(...kernelRows(n));
    if (GROUPS.includes('layers')) rows.push(...layerRows(n));
    if (GROUPS.includes('step')) {
      const variants = [...(baseline ? [['baseline build step', stepOf(baseline, n)]] : []), ['this build step', stepOf(convAeDefinition, n)]];
      rows.push(...compare('training step fwd+bwd (default layout, d=16)', n, 0, variants));
    }
    for (const row of rows.filter((r) => r.batch === n)) log(`${row.group} @${n}: ${row.variant} ${row.ms} ms (×${row.speedup})`);
  }
  return { suite: 'conv-ae-kernels', ...(QUICK ? { quick: true } : {}), reps: REPS, rows };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await bench({ log: (m) => console.error(m) }), null, 2));
}
