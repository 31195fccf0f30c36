// Child process: fits @saehrimnir/druidjs@0.9.0's PCA (default eigen arguments) and reports one row.
import { loadFashionMnist } from '@latentkit/data/node';
import * as druid from '@saehrimnir/druidjs';
import { columnMeans, scoreLinearModel, toRows } from './evaluate.mjs';

const K = 16;
const { train, test } = await loadFashionMnist();
const X = druid.Matrix.from(toRows(train.x));
const started = performance.now();
const V = new druid.PCA(X, { d: K }).principal_components(); // D×K
const fitSeconds = (performance.now() - started) / 1000;
const D = train.x.cols;
const components = new Float64Array(K * D);
for (let c = 0; c < K; c++) for (let j = 0; j < D; j++) components[c * D + j] = V.entry(j, c);
process.send({ fitSeconds, ...scoreLinearModel(train.x, test.x, columnMeans(train.x), components, K) });
