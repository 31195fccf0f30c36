// Child process: fits ml-pca@4.1.1 (default options, as a user would call it) and reports one row.
import { loadFashionMnist } from '@latentkit/data/node';
import { PCA } from 'ml-pca';
import { scoreLinearModel, toRows } from './evaluate.mjs';

const K = 16;
const { train, test } = await loadFashionMnist();
const rows = toRows(train.x);
const started = performance.now();
const pca = new PCA(rows);
const fitSeconds = (performance.now() - started) / 1000;
const U = pca.getEigenvectors(); // D×D, components in columns
const D = train.x.cols;
const components = new Float64Array(K * D);
for (let c = 0; c < K; c++) for (let j = 0; j < D; j++) components[c * D + j] = U.get(j, c);
const mean = Float64Array.from(pca.toJSON().means);
process.send({ fitSeconds, ...scoreLinearModel(train.x, test.x, mean, components, K) });
