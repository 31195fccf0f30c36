// Shared by the benchmark and its peer children: scores any linear PCA model (mean + k×D components)
// the same way, so every row of the table is measured identically.

/** Test reconstruction MSE per pixel and train explained-variance ratio sum of mean + components. */
export function scoreLinearModel(train, test, mean, components, k) {
  return { testMse: reconstructionMse(test, mean, components, k), explainedVarianceRatioSum: varianceRatio(train, mean, components, k) };
}

function project(x, r, mean, components, k, out) {
  const D = x.cols;
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < D; j++) s += (x.data[r * D + j] - mean[j]) * components[c * D + j];
    out[c] = s;
  }
}

function reconstructionMse(x, mean, components, k) {
  const D = x.cols, z = new Float64Array(k);
  let err = 0;
  for (let r = 0; r < x.rows; r++) {
    project(x, r, mean, components, k, z);
    for (let j = 0; j < D; j++) {
      let v = mean[j];
      for (let c = 0; c < k; c++) v += z[c] * components[c * D + j];
      const d = x.data[r * D + j] - v;
      err += d * d;
    }
  }
  return err / (x.rows * D);
}

function varianceRatio(x, mean, components, k) {
  const D = x.cols, z = new Float64Array(k);
  let kept = 0, total = 0;
  for (let r = 0; r < x.rows; r++) {
    project(x, r, mean, components, k, z);
    for (let c = 0; c < k; c++) kept += z[c] * z[c];
    for (let j = 0; j < D; j++) total += (x.data[r * D + j] - mean[j]) ** 2;
  }
  return kept / total;
}

export function columnMeans(x) {
  const mean = new Float64Array(x.cols);
  for (let r = 0; r < x.rows; r++) for (let j = 0; j < x.cols; j++) mean[j] += x.data[r * x.cols + j];
  return mean.map((v) => v / x.rows);
}

export function toRows(x) {
  return Array.from({ length: x.rows }, (_, r) => Array.from(x.data.subarray(r * x.cols, (r + 1) * x.cols)));
}
