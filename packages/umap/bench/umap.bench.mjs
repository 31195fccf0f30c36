// UMAP on the demo's data: fit on 8,000 MNIST training digits (d = 16, default options) and encode held-out
// digits, against the BUILT package. Rows: the fit (seconds, and seconds before the layout starts: the
// neighbour graph), encode per row, and its neighbour search alone (blocked SIMD kernel vs the scalar scan,
// checked to give identical neighbours).
//   UMAP_BENCH_NNDESCENT=1: also a fit with umap-js's own approximate NN-descent graph (the fit before the
//     exact graph), as `umap-fit-nndescent-graph`.
//   UMAP_BENCH_BASELINE_DIST=<a build of an earlier packages/umap/src> (its imports must resolve: give it a
//     node_modules link to this package's): the fitted model is loaded into the baseline too and both encode
//     the same rows, interleaved; ratios say how much faster, and whether the codes are bit-identical.
//   UMAP_BENCH_ENCODE_ROWS (default 500) test rows are encoded, UMAP_BENCH_SCALAR_ROWS (default 200)
//     searched by the scalar scan.
// Standalone: `node packages/umap/bench/umap.bench.mjs`.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UMAP } from 'umap-js';
import { fitUmap, loadUmap } from '../dist/index.js';
import { nearestRowsBlock } from '../dist/block-search.js';
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
  if (process.env.UMAP_BENCH_NNDESCENT === '1') {
    // umap-js runs NN-descent itself when no precomputed graph is set.
    const original = UMAP.prototype.setPrecomputedKNN;
    UMAP.prototype.setPrecomputedKNN = function () {};
    try {
      (await timedFit('umap-fit-nndescent-graph')).model.dispose();
    } finally {
      UMAP.prototype.setPrecomputedKNN = original;
    }
  }
  const { model } = await timedFit('umap-fit-exact-graph');
  if (rows.length === 2) {
    ratios['fit nndescent / exact (wall)'] = round(rows[0].fitSeconds / rows[1].fitSeconds, 2);
    ratios['before layout nndescent / exact (wall)'] = round(rows[0].beforeLayoutSeconds / rows[1].beforeLayoutSeconds, 2);
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

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(`${JSON.stringify(await bench(), null, 2)}\n`);
}
