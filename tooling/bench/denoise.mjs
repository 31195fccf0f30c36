// Restoring corrupted digits (issue 12, part 1): for each corruption (σ = 0.5 Gaussian noise, a square mask
// of a quarter of the image, 2× down-sampling) fit a dense-ae and a conv-ae trained to undo it (d = 16), and
// PCA-16 once, then run `latentkit restore` on the models: PSNR on the 2,000 test digits of the corrupted input
// and of each restoration, and a PNG per corruption. Full size is slow (two autoencoders per corruption on
// 8,000 digits); shrink it with env DENOISE_TRAIN_SIZE, DENOISE_EPOCHS (both autoencoders) or
// DENOISE_DENSE_EPOCHS / DENOISE_CONV_EPOCHS, DENOISE_CORRUPTIONS (comma-separated), DENOISE_OUT (kept folder).
// Not a `*.bench.mjs` (too long for every `pnpm bench`); run it with the built CLI:
//   node tooling/bench/child.mjs tooling/bench/denoise.mjs        → prints a JSON row per corruption.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = join(root, 'apps', 'cli', 'dist', 'bin.js');
// tooling/ has no workspace packages of its own: resolve them as the CLI does.
const cliRequire = createRequire(join(root, 'apps', 'cli', 'package.json'));
const load = (name) => import(pathToFileURL(cliRequire.resolve(name)).href);

const env = process.env;
const num = (name, fallback) => (env[name] ? Number(env[name]) : fallback);
const SEED = 0;
const LATENT = 16;
const CORRUPTIONS = (env.DENOISE_CORRUPTIONS ?? 'noise:0.5,mask:0.25,downsample:2').split(',');

export default async function denoise({ log = () => {} } = {}) {
  const [{ ReducerRegistry, sliceRows }, { loadDataSource }, { fitAndSave }, { pcaPlugin }, { denseAePlugin }, { convAePlugin }] = await Promise.all(
    ['@latentkit/core', '@latentkit/data/node', '@latentkit/run/node', '@latentkit/pca', '@latentkit/dense-ae', '@latentkit/conv-ae'].map(load),
  );
  const registry = new ReducerRegistry().register(pcaPlugin).register(denseAePlugin).register(convAePlugin);
  const { train, test } = await loadDataSource('mnist', { seed: SEED });
  const trainSize = Math.min(num('DENOISE_TRAIN_SIZE', train.x.rows), train.x.rows);
  const data = { spec: 'mnist', train: { ...train, x: sliceRows(train.x, 0, trainSize), ...(train.labels ? { labels: train.labels.subarray(0, trainSize) } : {}) }, test };
  const epochs = { 'dense-ae': num('DENOISE_DENSE_EPOCHS', num('DENOISE_EPOCHS', undefined)), 'conv-ae': num('DENOISE_CONV_EPOCHS', num('DENOISE_EPOCHS', undefined)) };
  const out = env.DENOISE_OUT ?? mkdtempSync(join(tmpdir(), 'latentkit-denoise-'));
  const fit = async (kind, dir, options) => {
    const started = Date.now();
    const { reducer, metrics } = await fitAndSave({ registry, kind, latentDim: LATENT, options, data, seed: SEED, outDir: join(out, dir), force: true, workers: 1 });
    reducer.dispose();
    log(`${dir}: ${((Date.now() - started) / 1000).toFixed(0)} s, test MSE ${metrics.test.mse?.toFixed(4)}`);
  };
  const rows = [];
  for (const corrupt of CORRUPTIONS) {
    const folder = corrupt.replace(/[^a-z0-9.]+/gi, '-');
    mkdirSync(join(out, folder), { recursive: true });
    await fit('pca', join(folder, 'pca'), {});
    for (const kind of ['dense-ae', 'conv-ae']) await fit(kind, join(folder, kind), { corrupt, ...(epochs[kind] ? { epochs: epochs[kind] } : {}) });
    const png = join(out, `restore-${folder}.png`);
    const r = spawnSync(process.execPath, [bin, 'restore', join(out, folder), '--corrupt', corrupt, '--png', png, '--json', '--quiet'], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`latentkit restore failed: ${r.stderr.trim()}`);
    const result = JSON.parse(r.stdout);
    const psnr = Object.fromEntries([['corrupted', result.corrupted.psnr], ...result.models.map((m) => [m.reducer, m.psnr])].map(([k, v]) => [k, Math.round(v * 100) / 100]));
    rows.push({ corrupt, testDigits: result.n, trainDigits: trainSize, epochs, psnr, png });
    log(`${corrupt}: PSNR ${JSON.stringify(psnr)}`);
  }
  return { suite: 'denoise', out, rows };
}
