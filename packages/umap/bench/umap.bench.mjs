// UMAP on the demo's data: fit on 8,000 MNIST training digits (d = 16, default options) and encode held-out
// digits, against the BUILT package. Rows: the fit (seconds, and seconds before the layout starts: the
// neighbour graph), encode per row, and its neighbour search alone (blocked SIMD kernel vs the scalar scan,
// checked to give identical neighbours).
//   UMAP_BENCH_BASELINE_DIST=<a build of an earlier packages/umap/src> (its imports must resolve: give it a
//     node_modules link to this package's): the fitted model is loaded into the baseline too and both encode
//     the same rows, interleaved; ratios say how much faster, and whether the codes are bit-identical.
//   UMAP_BENCH_ENCODE_ROWS (default 500) test rows are encoded, UMAP_BENCH_SCALAR_ROWS (default 200)
//     searched by the scalar scan.
//   Layout rows (before/after our set-up and layout kernel): on the first UMAP_BENCH_LAYOUT_ROWS training
//     digits (default 8000,3000: the demo's fit and its refits; d = 16, umap-js's epochs for that size),
//     umap-js's own initializeFit + step() loop against setUpLayout + the kernel (layout-setup.ts, layout.ts),
//     on the same exact graph and seed; the epochs run interleaved in this process so that a loaded machine
//     slows both alike. Ratios say how much faster, and whether the layouts are bit-identical (they should be).
// Standalone: `node packages/umap/bench/umap.bench.mjs`.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRng } from '@latentkit/core';
import { UMAP } from 'umap-js';
import { findABParams } from 'umap-js/dist/umap.js';
import { fitUmap, loadUmap } from '../dist/index.js';
import { nearestRowsBlock } from '../dist/block-search.js';
import { knnGraph } from '../dist/knn-graph.js';
import { startLayout } from '../dist/layout.js';
import { setUpLayout } from '../dist/layout-setup.js';
import { nearestRows, trainingRows } from '../dist/neighbors.js';

// The data package is the CLI's dependency (and this package's dev dependency): resolve it from the CLI.
const cli = createRequire(new URL('../../../apps/cli/package.json', import.meta.url));
const round = (v, digits = 3) => Number(v.toFixed(digits));
const D = 784;
const DIM = 16;

export default async function bench({ log = (m) => process.stderr.write(`${m}\n`) } = {}) {
  const encodeRows = Number(process.env.UMAP_BENCH_ENCODE_ROWS ?? 500);
  const scalarRows = Number(process.env.UMAP_BENCH_SCALAR_ROWS ?? 200);
  const { loadMnistSplit } = await import(pathToFileURL(cli.resolve('@latentkit/data/node')).href);
  const { train, test } = await loadMnistSplit({ seed: 0 });
  const settings = { latentDim: DIM, options: { nNeighbors: 15, minDist: 0.1, spread: 1, nEpochs: 'auto', metric: 'euclidean' } };
  const rows = [];
  const ratios = {};

  const timedFit = async (name) => {
    let layoutStart;
    const started = performance.now();
    const fit = await fitUmap(train, settings, { seed: 0, onProgress: (e) => { if (e.phase === 'layout' && e.epoch === 1) layoutStart = performance.now(); } });
    const row = { name, rows: `${train.x.rows}x${D}`, latentDim: DIM, fitSeconds: round((performance.now() - started) / 1000, 2), beforeLayoutSeconds: round((layoutStart - started) / 1000, 2), epochs: fit.result.info.epochs };
    rows.push(row);
    log(`umap: ${name} ${row.fitSeconds} s (${row.beforeLayoutSeconds} s before the layout)`);
    return fit;
  };
  const { model } = await timedFit('umap-fit-exact-graph');

  for (const count of (process.env.UMAP_BENCH_LAYOUT_ROWS ?? '8000,3000').split(',').map(Number)) {
    const row = await layoutRow(train.x.data, Math.min(count, train.x.rows), settings.options.nNeighbors);
    rows.push(row);
    ratios[`set-up umap-js initializeFit / ours (${row.rows} rows)`] = round(row.umapJsSetUpSeconds / row.setUpSeconds, 2);
    ratios[`layout umap-js step() / kernel (${row.rows} rows, all epochs)`] = round(row.umapJsSeconds / row.kernelSeconds, 2);
    ratios[`layout bit-identical to umap-js (${row.rows} rows)`] = row.bitIdentical;
    log(`umap: ${row.rows} rows, ${row.epochs} epochs: set-up umap-js ${row.umapJsSetUpSeconds} s / ours ${row.setUpSeconds} s; layout umap-js ${row.umapJsSeconds} s / kernel ${row.kernelSeconds} s; bit-identical: ${row.bitIdentical}`);
  }

  const queries = { data: test.x.data.slice(0, encodeRows * D), rows: encodeRows, cols: D };
  const bundle = await model.save();
  const variants = [{ name: 'latentkit', model: await loadUmap(bundle) }];
  const baselineDir = process.env.UMAP_BENCH_BASELINE_DIST;
  if (baselineDir) variants.push({ name: 'baseline', model: await (await import(pathToFileURL(join(baselineDir, 'index.js')).href)).loadUmap(bundle) });
  const codes = new Map();
  for (const v of variants) {
    const started = performance.now();
    codes.set(v.name, await v.model.encode(queries));
    const ms = (performance.now() - started) / encodeRows;
    rows.push({ name: `${v.name}-umap-encode-mnist`, trainRows: train.x.rows, encodedRows: encodeRows, encodeMsPerRow: round(ms) });
    log(`umap: ${v.name} encode ${round(ms)} ms/row`);
    v.model.dispose();
  }
  if (baselineDir) {
    const [now, before] = [rows.at(-2), rows.at(-1)];
    ratios['encode baseline / latentkit (per row)'] = round(before.encodeMsPerRow / now.encodeMsPerRow, 2);
    const [a, b] = [codes.get('latentkit').data, codes.get('baseline').data];
    ratios['encode codes bit-identical to baseline'] = a.every((x, i) => Object.is(x, b[i]));
  }

  const tr = trainingRows(train.x.data, train.x.rows, D, 'euclidean');
  const stats = { scalar: 0 };
  let started = performance.now();
  const block = nearestRowsBlock(tr, queries.data, encodeRows, 15, stats);
  const blockMs = (performance.now() - started) / encodeRows;
  started = performance.now();
  const scalar = Array.from({ length: scalarRows }, (_, i) => nearestRows(tr, queries.data.subarray(i * D, (i + 1) * D), 15));
  const scalarMs = (performance.now() - started) / scalarRows;
  const same = scalar.every((s, i) => s.index.every((v, p) => v === block[i].index[p]) && s.distance.every((v, p) => v === block[i].distance[p]));
  rows.push({ name: 'umap-neighbours-mnist', k: 15, blockMsPerRow: round(blockMs), scalarMsPerRow: round(scalarMs), scalarFallbacks: stats.scalar, sameAsScalar: same });
  ratios['neighbours scalar / block (per row)'] = round(scalarMs / blockMs, 2);
  log(`umap: neighbours ${round(blockMs)} ms/row (scalar ${round(scalarMs)}), identical: ${same}`);
  model.dispose();
  return { suite: 'umap', rows, ratios };
}

/** umap-js's initializeFit + step() loop against setUpLayout + the kernel on the same graph and seed. */
async function layoutRow(data, n, nNeighbors) {
  const x = data.subarray(0, n * D);
  const graph = await knnGraph(trainingRows(x, n, D, 'euclidean'), nNeighbors);
  const rowsOfX = Array.from({ length: n }, (_, i) => Array.from(x.subarray(i * D, (i + 1) * D)));
  let started = performance.now();
  const rng = createRng(0);
  const umap = new UMAP({ nComponents: DIM, nNeighbors, minDist: 0.1, spread: 1, random: () => rng.next() });
  umap.setPrecomputedKNN(graph.knnIndices, graph.knnDistances);
  const epochs = umap.initializeFit(rowsOfX);
  const umapJsSetUp = performance.now() - started;
  started = performance.now();
  const { a, b } = findABParams(1, 0.1);
  const input = setUpLayout(new UMAP(), graph, { nNeighbors, dim: DIM, nEpochs: 0, a, b }, createRng(0));
  const layout = await startLayout(input, 0, input.embedding.length);
  const setUp = performance.now() - started;
  let umapJs = 0, kernel = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    let t = performance.now();
    umap.step();
    umapJs += performance.now() - t;
    t = performance.now();
    layout.step();
    kernel += performance.now() - t;
  }
  const want = Float64Array.from(umap.getEmbedding().flat());
  const got = layout.embedding();
  layout.dispose();
  const bitIdentical = input.epochs === epochs && got.length === want.length && got.every((v, i) => Object.is(v, want[i]));
  const seconds = (ms) => round(ms / 1000, 2);
  return { name: 'umap-layout-mnist', rows: n, latentDim: DIM, epochs, umapJsSetUpSeconds: seconds(umapJsSetUp), setUpSeconds: seconds(setUp), umapJsSeconds: seconds(umapJs), kernelSeconds: seconds(kernel), bitIdentical };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(`${JSON.stringify(await bench(), null, 2)}\n`);
}
