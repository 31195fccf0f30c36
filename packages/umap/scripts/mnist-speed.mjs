// Times a UMAP fit on 2,000 MNIST digits (784-D) and encode of 500 held-out ones, from the built dist:
//   cd packages/umap && npx tsc -p tsconfig.json && node scripts/mnist-speed.mjs [trainRows] [testRows]
// Prints seconds per phase and the 5-NN label accuracy of the codes (a check that encode is useful).
import { sliceRows, subsetDataset } from '@latentkit/core';
import { loadMnistSplit } from '@latentkit/data/node';
import { umapPlugin } from '../dist/index.js';

const trainRows = Number(process.argv[2] ?? 2000);
const testRows = Number(process.argv[3] ?? 500);
const { train, test } = await loadMnistSplit();
const first = (d, n) => subsetDataset(d, Array.from({ length: n }, (_, i) => i));
const fitData = first(train, trainRows);
const heldOut = first(test, testRows);

const marks = {};
const started = performance.now();
const { model, embedding, result } = await umapPlugin.fit(fitData, { latentDim: 2, options: { nNeighbors: 15, minDist: 0.1, spread: 1, nEpochs: 'auto', metric: 'euclidean' } }, {
  seed: 0,
  onProgress: (e) => {
    if (e.phase === 'layout' && e.epoch === 1) marks.layoutStart = performance.now();
  },
});
const fitSeconds = (performance.now() - started) / 1000;
const encodeStart = performance.now();
const codes = await model.encode(heldOut.x);
const encodeSeconds = (performance.now() - encodeStart) / 1000;

function knnAccuracy(ref, refLabels, q, qLabels, leaveOneOut) {
  let ok = 0;
  for (let i = 0; i < q.rows; i++) {
    const order = [];
    for (let j = 0; j < ref.rows; j++) {
      if (leaveOneOut && i === j) continue;
      order.push([(ref.data[2 * j] - q.data[2 * i]) ** 2 + (ref.data[2 * j + 1] - q.data[2 * i + 1]) ** 2, j]);
    }
    order.sort((a, b) => a[0] - b[0]);
    const votes = new Map();
    for (const [, j] of order.slice(0, 5)) votes.set(refLabels[j], (votes.get(refLabels[j]) ?? 0) + 1);
    if ([...votes].sort((a, b) => b[1] - a[1])[0][0] === qLabels[i]) ok++;
  }
  return ok / q.rows;
}

console.log(JSON.stringify({
  trainRows,
  testRows,
  epochs: result.info.epochs,
  fitSeconds: +fitSeconds.toFixed(2),
  neighborSeconds: +((marks.layoutStart - started) / 1000).toFixed(2),
  layoutSeconds: +((performance.now() - marks.layoutStart) / 1000 - encodeSeconds).toFixed(2),
  encodeSeconds: +encodeSeconds.toFixed(2),
  encodeMsPerRow: +((encodeSeconds * 1000) / testRows).toFixed(2),
  embeddingKnnAccuracy: knnAccuracy(embedding, fitData.labels, sliceRows(embedding, 0, 500), fitData.labels, true),
  encodeKnnAccuracy: knnAccuracy(embedding, fitData.labels, codes, heldOut.labels, false),
}, null, 1));
model.dispose();
