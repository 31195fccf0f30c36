// PCA benchmark on Fashion-MNIST (60,000×784 → 16 components): latentkit's exact and randomized solvers,
// single-threaded and with worker threads, against scikit-learn reference timings and two JS peers, each
// peer in a time-bounded child process. Each latentkit variant is fitted PCA_BENCH_REPS times (default 3),
// interleaved so machine load hits all alike; rows report the median and every sample, plus the load average.
// scikit-learn's randomized PCA is fitted once per rep in a child /usr/bin/python3 (sklearn-pca.py), in the
// same interleaved loop, so the vsSklearn ratios compare like with like (skipped, with the reason, when
// sklearn is missing). PCA_BENCH_BASELINE_DIST=<a copy of an earlier dist/> adds its variants as
// `baseline-…` rows, for a before/after in one process.
// Runs against the BUILT package. Standalone: `node packages/pca/bench/pca.bench.mjs` prints JSON.
import { execFile, execFileSync, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { mse } from '@latentkit/core';
import { loadFashionMnist } from '@latentkit/data/node';
import { fitPca, setCovarianceEngine } from '../dist/index.js';
import { createWorkerCovarianceEngine } from '../dist/node.js';

const here = dirname(fileURLToPath(import.meta.url));
const K = 16;
const DATA = 'fashion-mnist-60k';
/** scikit-learn 1.2.1 (OpenBLAS, 2 threads) on the same data and machine class: used only when sklearn cannot run here. */
const SKLEARN_SECONDS = { randomized: 0.95, exact: 2.5 };
const SKLEARN_PYTHON = '/usr/bin/python3';
const FASHION_DIR = process.env.LATENTKIT_FASHION_MNIST_DIR ?? '/usr/share/datasets/fashion-mnist';
const PEERS = [
  { name: 'ml-pca@4.1.1', script: 'peer-ml-pca.mjs' },
  { name: 'druidjs@0.9.0', script: 'peer-druidjs.mjs' },
];

export default async function bench({ log = (m) => process.stderr.write(`${m}\n`) } = {}) {
  const timeoutSeconds = Number(process.env.PCA_BENCH_PEER_TIMEOUT_S ?? 120);
  const { train, test } = await loadFashionMnist();
  const reps = Math.max(1, Number(process.env.PCA_BENCH_REPS ?? 3));
  const threads = availableParallelism();
  const current = { fitPca, setCovarianceEngine, workers: createWorkerCovarianceEngine(threads) };
  const baseline = await loadBaseline(threads);
  const variantsOf = (prefix, lib) => [
    { name: `${prefix}-pca-exact`, solver: 'exact', engine: undefined, lib },
    { name: `${prefix}-pca-randomized`, solver: 'randomized', engine: undefined, lib },
    { name: `${prefix}-pca-exact-threads${threads}`, solver: 'exact', engine: lib.workers, lib },
    { name: `${prefix}-pca-randomized-threads${threads}`, solver: 'randomized', engine: lib.workers, lib },
  ];
  // PCA_BENCH_SOLVERS=randomized (say) times only that solver, for a shorter run.
  const solvers = (process.env.PCA_BENCH_SOLVERS ?? 'exact,randomized').split(',');
  const variants = [...variantsOf('latentkit', current), ...(baseline ? variantsOf('baseline', baseline) : [])].filter((v) => solvers.includes(v.solver));
  const sklearn = sklearnAvailable();
  const sklearnSamples = [];
  let sklearnRatioSum;
  const samples = new Map(variants.map((v) => [v.name, []]));
  // Process CPU seconds (all threads): on a loaded machine, a steadier figure than wall time for one thread.
  const cpuSamples = new Map(variants.map((v) => [v.name, []]));
  const models = new Map();
  const loadBefore = loadavg()[0];
  try {
    for (let rep = 0; rep < reps; rep++) {
      if (sklearn.ok) {
        const run = await runSklearn('randomized', 1);
        sklearnSamples.push(run.seconds[0]);
        sklearnRatioSum = run.explainedVarianceRatioSum;
        log(`pca: sklearn ${run.version} randomized fit ${run.seconds[0].toFixed(2)} s (rep ${rep + 1}/${reps})`);
      }
      for (const v of variants) {
        v.lib.setCovarianceEngine(v.engine);
        const cpuBefore = process.cpuUsage();
        const { model: pca, result } = await v.lib.fitPca(train, { latentDim: K, solver: v.solver }, { seed: 0 });
        const cpu = process.cpuUsage(cpuBefore);
        samples.get(v.name).push(result.seconds);
        cpuSamples.get(v.name).push((cpu.user + cpu.system) / 1e6);
        models.set(v.name, { pca, result });
        log(`pca: ${v.name} fit ${result.seconds.toFixed(2)} s (rep ${rep + 1}/${reps})`);
      }
    }
  } finally {
    for (const lib of [current, baseline].filter(Boolean)) {
      lib.setCovarianceEngine(undefined);
      await lib.workers.close();
    }
  }
  const sklearnRandomizedSeconds = sklearn.ok ? median(sklearnSamples) : undefined;
  const loadAverage = [round(loadBefore, 2), round(loadavg()[0], 2)];
  const rows = [];
  for (const v of variants) {
    const { pca, result } = models.get(v.name);
    const seconds = median(samples.get(v.name));
    const testMse = mse(test.x, await pca.decode(await pca.encode(test.x)));
    rows.push({
      name: v.name,
      data: DATA,
      components: K,
      fitSeconds: round(seconds),
      fitSecondsSamples: samples.get(v.name).map((t) => round(t)),
      fitCpuSeconds: round(median(cpuSamples.get(v.name))),
      threads: v.engine ? threads : 1,
      testMse: round(testMse, 6),
      explainedVarianceRatioSum: round(result.info.explainedVarianceRatioSum, 5),
      status: 'ok',
      // Randomized rows: against sklearn's same-run median where it ran; otherwise the reference figure.
      vsSklearn: round(seconds / (v.solver === 'randomized' && sklearnRandomizedSeconds !== undefined ? sklearnRandomizedSeconds : SKLEARN_SECONDS[v.solver])),
      vsSklearnSource: v.solver === 'randomized' && sklearnRandomizedSeconds !== undefined ? 'same-run' : 'reference',
    });
    log(`pca: ${v.name} median ${seconds.toFixed(2)} s, test MSE ${testMse.toFixed(6)}`);
  }
  // PCA_BENCH_SKIP_PEERS=1 leaves the JS peers out (each takes up to the timeout).
  for (const peer of process.env.PCA_BENCH_SKIP_PEERS === '1' ? [] : PEERS) {
    const row = await runPeer(peer, timeoutSeconds);
    rows.push(row);
    log(`pca: ${peer.name} ${row.status}${row.fitSeconds ? ` ${row.fitSeconds} s` : ''}`);
  }
  const ratios = {};
  for (const mine of rows.filter((r) => r.name.startsWith('latentkit'))) {
    for (const peer of rows.filter((r) => PEERS.some((p) => p.name === r.name))) {
      // A timed-out peer took at least the time bound, so the ratio is an upper bound ("<=").
      const peerSeconds = peer.status === 'ok' ? peer.fitSeconds : timeoutSeconds;
      ratios[`${mine.name} / ${peer.name}`] = `${peer.status === 'ok' ? '' : '<='}${round(mine.fitSeconds / peerSeconds, 4)}`;
    }
  }
  return {
    suite: 'pca',
    rows,
    ratios,
    sklearnSameRun: sklearn.ok
      ? { solver: 'randomized', fitSeconds: round(sklearnRandomizedSeconds), fitSecondsSamples: sklearnSamples.map((t) => round(t)), explainedVarianceRatioSum: round(sklearnRatioSum, 5) }
      : { skipped: sklearn.reason },
    reference: { sklearnSeconds: SKLEARN_SECONDS, sklearnExplainedVarianceRatioSum: 0.7652, sklearnTestMse: 0.020446 },
    peerTimeoutSeconds: timeoutSeconds,
    repetitions: reps,
    loadAverage1m: { before: loadAverage[0], after: loadAverage[1], cores: threads },
  };
}

/** An earlier build of this package (PCA_BENCH_BASELINE_DIST), to time before/after in one process. */
async function loadBaseline(threads) {
  const dir = process.env.PCA_BENCH_BASELINE_DIST;
  if (!dir) return undefined;
  const index = await import(pathToFileURL(join(dir, 'index.js')).href);
  const node = await import(pathToFileURL(join(dir, 'node.js')).href);
  return { fitPca: index.fitPca, setCovarianceEngine: index.setCovarianceEngine, workers: node.createWorkerCovarianceEngine(threads) };
}

/** Whether Debian's python3-sklearn can run here, else why not. */
function sklearnAvailable() {
  if (!existsSync(join(FASHION_DIR, 'train-images-idx3-ubyte.gz'))) return { ok: false, reason: `no Fashion-MNIST in ${FASHION_DIR}` };
  try {
    execFileSync(SKLEARN_PYTHON, ['-c', 'import sklearn'], { stdio: 'ignore' });
    return { ok: true };
  } catch {
    return { ok: false, reason: `${SKLEARN_PYTHON} cannot import sklearn (apt-get install python3-sklearn)` };
  }
}

/** scikit-learn's PCA fitted `reps` times on the same IDX files, in a child process: its seconds per fit. */
function runSklearn(solver, reps) {
  return new Promise((resolve, reject) => {
    execFile(SKLEARN_PYTHON, [join(here, 'sklearn-pca.py'), FASHION_DIR, String(K), solver, String(reps)], (error, stdout) =>
      error ? reject(error) : resolve(JSON.parse(stdout)),
    );
  });
}

function runPeer(peer, timeoutSeconds) {
  const base = { name: peer.name, data: DATA, components: K };
  return new Promise((resolve) => {
    const child = fork(join(here, peer.script), { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    let done = false;
    const finish = (row) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      resolve({ ...base, ...row });
    };
    const timer = setTimeout(() => finish({ fitSeconds: null, testMse: null, explainedVarianceRatioSum: null, status: 'timeout' }), timeoutSeconds * 1000);
    child.on('message', (m) =>
      finish({ fitSeconds: round(m.fitSeconds), testMse: round(m.testMse, 6), explainedVarianceRatioSum: round(m.explainedVarianceRatioSum, 5), status: 'ok' }),
    );
    child.on('exit', (code) => finish({ fitSeconds: null, testMse: null, explainedVarianceRatioSum: null, status: 'error', error: `exited with code ${code}` }));
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function round(v, digits = 3) {
  return Math.round(v * 10 ** digits) / 10 ** digits;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await bench()));
}
