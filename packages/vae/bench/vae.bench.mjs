// The VAE on MNIST at d=16: test ELBO, prior samples vs a conv autoencoder's Gaussian samples (figure and
// quality figures), and the anomaly AUC of its negative ELBO with one digit held out of training.
// Uses the built dist: run `pnpm --filter @latentkit/vae build` first. Short fits by default (this is a shared
// 2-core machine); VAE_BENCH_TRAIN (rows, ≤ 8000) and VAE_BENCH_EPOCHS scale them up.
// Standalone: node packages/vae/bench/vae.bench.mjs → prints JSON; writes bench-results/vae-samples.png.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { useTrainingWorkers } from '@latentkit/ae-core/node';
import { fitConvAe } from '@latentkit/conv-ae';
import { heldOutClassAuc, reconstructionScores } from '@latentkit/latent';
import { mse } from '@latentkit/core';
import { loadMnistSplit } from '@latentkit/data/node';
import { fitVae } from '../dist/index.js';
import { compareSamples, heldOutElboAuc } from '../dist/compare/index.js';

const LATENT = 16;
const HELD_OUT = 0;
const SEED = 0;
// One draw of z per row: the mean over 2,000 rows is an unbiased ELBO, and decoding is the slow part here.
const BOUND = { samples: 1, seed: SEED };

function rowsOf(data, indices, name) {
  const D = data.x.cols;
  const x = new Float32Array(indices.length * D);
  indices.forEach((r, k) => x.set(data.x.data.subarray(r * D, (r + 1) * D), k * D));
  return { ...data, name, x: { data: x, rows: indices.length, cols: D }, labels: Int32Array.from(indices, (r) => data.labels[r]) };
}

const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;

export default async function bench({ log = () => {} } = {}) {
  const trainRows = Number(process.env.VAE_BENCH_TRAIN ?? 3000);
  const epochs = Number(process.env.VAE_BENCH_EPOCHS ?? 4);
  // Data-parallel threads (results depend on the seed and this count).
  const workers = Number(process.env.VAE_BENCH_WORKERS ?? 1);
  if (workers > 1) useTrainingWorkers();
  const fitOptions = { seed: SEED, workers };
  const split = await loadMnistSplit({ seed: SEED });
  // The split is shuffled and stratified, so its first rows are a fair subset.
  const train = rowsOf(split.train, Array.from({ length: Math.min(trainRows, split.train.x.rows) }, (_, i) => i), 'mnist-train');
  const test = split.test;
  const settings = { latentDim: LATENT, epochs };
  const vaeSettings = { ...settings, ...(process.env.VAE_BENCH_OUTPUT_STD ? { outputStd: Number(process.env.VAE_BENCH_OUTPUT_STD) } : {}) };
  const timed = async (what, fn) => {
    const t0 = performance.now();
    const out = await fn();
    const seconds = (performance.now() - t0) / 1000;
    // Results depend on (seed, workers): a fit that fell back to fewer threads is not the run asked for.
    const threads = out.result.info.threads;
    if (threads !== undefined && threads !== workers) throw new Error(`${what}: VAE_BENCH_WORKERS=${workers} but the fit trained on ${threads} thread(s)`);
    log(`${what}: ${seconds.toFixed(1)} s`);
    return { ...out, seconds };
  };

  const vae = await timed(`fit vae d=${LATENT} on ${train.x.rows} rows, ${epochs} epochs`, () => fitVae(train, vaeSettings, fitOptions));
  const testElbo = mean(await vae.model.logLikelihoodBound(test.x, BOUND));
  const trainElbo = mean(await vae.model.logLikelihoodBound(rowsOf(train, Array.from({ length: 1000 }, (_, i) => i), 'mnist-train-1000').x, BOUND));
  log(`test ELBO ${testElbo.toFixed(1)} nats per image (first 1000 training images ${trainElbo.toFixed(1)})`);
  const ae = await timed(`fit conv-ae d=${LATENT}`, () => fitConvAe(train, settings, fitOptions));
  // Reconstruction MSE through μ (the demo checks every model's against PCA's at the same d).
  const testMse = async (model) => mse(test.x, await model.decode(await model.encode(test.x)));
  const [vaeTestMse, aeTestMse] = [await testMse(vae.model), await testMse(ae.model)];
  log(`test MSE: vae ${vaeTestMse.toFixed(5)}, conv-ae ${aeTestMse.toFixed(5)}`);
  const comparison = await compareSamples({ vae: vae.model, autoencoder: ae.model, train, test, names: { vae: 'VAE', autoencoder: 'CNN' }, seed: SEED });
  for (const r of comparison.rows) log(`${r.source}: confidence ${r.meanConfidence.toFixed(3)}, class entropy ${r.classEntropyBits.toFixed(2)} bits, MMD² ${r.mmdToTest.toFixed(4)}`);
  const dir = join(fileURLToPath(new URL('../../..', import.meta.url)), 'bench-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'vae-samples.png'), comparison.png);

  const keep = Array.from({ length: train.x.rows }, (_, i) => i).filter((i) => train.labels[i] !== HELD_OUT);
  const withoutDigit = await timed(`fit vae without digit ${HELD_OUT}`, () => fitVae(rowsOf(train, keep, `mnist-train-without-${HELD_OUT}`), vaeSettings, fitOptions));
  const elboAuc = await heldOutElboAuc(withoutDigit.model, test, HELD_OUT, BOUND);
  const reconstructionAuc = heldOutClassAuc(await reconstructionScores(withoutDigit.model, test.x), test.labels, HELD_OUT);
  log(`held-out digit ${HELD_OUT}: AUC −ELBO ${elboAuc.toFixed(3)}, reconstruction ${reconstructionAuc.toFixed(3)}`);
  for (const m of [vae.model, ae.model, withoutDigit.model]) m.dispose();

  const setup = { trainRows: train.x.rows, testRows: test.x.rows, latentDim: LATENT, epochs, seed: SEED, workers };
  return {
    suite: 'vae',
    rows: [
      { name: `vae d=${LATENT} fit`, ...setup, seconds: vae.seconds, samplesPerSecond: vae.result.info.samplesPerSecond, trainElboNats: trainElbo, testElboNats: testElbo, testMse: vaeTestMse, outputStd: vae.model.options.outputStd, beta: vae.model.options.beta },
      { name: `conv-ae d=${LATENT} fit (for the Gaussian samples)`, ...setup, seconds: ae.seconds, samplesPerSecond: ae.result.info.samplesPerSecond, testMse: aeTestMse },
      ...comparison.rows.map((r) => ({ name: `sample quality: ${r.source}`, ...setup, ...r, classifierTestAccuracy: comparison.classifierTestAccuracy })),
      { name: `vae anomaly AUC, digit ${HELD_OUT} held out`, ...setup, heldOut: HELD_OUT, elboAuc, reconstructionAuc, seconds: withoutDigit.seconds },
    ],
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await bench({ log: (m) => console.error(m) }), null, 2));
}
