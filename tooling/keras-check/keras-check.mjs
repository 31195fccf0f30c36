// Checks latentkit's LayersModel exports against Keras itself, where a Python with Keras is at hand (not part of
// `pnpm test`: no such Python is installed by the project). Trains a small dense-ae and conv-ae (with batch
// norm) on the embedded MNIST digits, exports each with its LayersModel exporter, saves latentkit's encode and
// decode of held-out rows as NPY, then runs keras_load.py, which opens the exports with
// keras.models.model_from_json and compares. Usage, after `pnpm build`:
//   LATENTKIT_KERAS_PYTHON=/path/to/python node tooling/keras-check/keras-check.mjs
// Prints keras_load.py's JSON; exits 1 when a difference exceeds 1e-5.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const load = (pkg, entry = 'index.js') => import(pathToFileURL(join(root, 'packages', pkg, 'dist', entry)).href);
const python = process.env.LATENTKIT_KERAS_PYTHON;
if (!python) {
  console.error('keras-check: set LATENTKIT_KERAS_PYTHON to a Python that can import keras');
  process.exit(2);
}
const { loadMnistSplit } = await load('data', 'node.js');
const { sliceRows } = await load('core');
const dense = await load('dense-ae');
const conv = await load('conv-ae');
const { matrixToNpy: npy } = await load('compress');
const out = mkdtempSync(join(tmpdir(), 'latentkit-keras-'));
const split = await loadMnistSplit();
const train = { ...split.train, x: sliceRows(split.train.x, 0, 600), labels: undefined };
const held = sliceRows(split.test.x, 0, 16);
const models = {
  'dense-ae': () => dense.fitDenseAe(train, { latentDim: 8, epochs: 2 }, { seed: 1 }).then((r) => [r.model, dense.denseAeLayersExporter]),
  'conv-ae': () =>
    conv.fitConvAe(train, { latentDim: 8, channels: [4, 4, 8, 8], batchNorm: true, epochs: 1 }, { seed: 1 }).then((r) => [r.model, conv.convAeLayersExporter]),
};
for (const [name, fit] of Object.entries(models)) {
  const [model, exporter] = await fit();
  const dir = join(out, name);
  await exporter.export(model, async (path, bytes) => {
    mkdirSync(dirname(join(dir, 'export', path)), { recursive: true });
    writeFileSync(join(dir, 'export', path), bytes);
  });
  const codes = await model.encode(held);
  const recon = await model.decode(codes);
  writeFileSync(join(dir, 'x.npy'), npy(held));
  writeFileSync(join(dir, 'codes.npy'), npy(codes));
  writeFileSync(join(dir, 'recon.npy'), npy(recon));
  model.dispose();
}
writeFileSync(join(out, 'models.json'), JSON.stringify(Object.keys(models)));
const run = spawnSync(python, [join(dirname(fileURLToPath(import.meta.url)), 'keras_load.py'), out], { encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' } });
if (run.status !== 0) {
  console.error(run.stderr);
  process.exit(1);
}
const report = JSON.parse(run.stdout.trim().split('\n').at(-1));
console.log(JSON.stringify(report, null, 2));
const worst = Math.max(...Object.values(report.models).flatMap((m) => [m.encodeMaxAbsDiff, m.decodeMaxAbsDiff]));
process.exit(worst <= 1e-5 ? 0 : 1);

