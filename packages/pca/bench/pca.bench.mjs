// PCA benchmark on Fashion-MNIST (60,000×784 → 16 components): latentkit's exact and randomized solvers,
// single-threaded and with worker threads, against scikit-learn reference timings and two JS peers, each
// peer in a time-bounded child process. Each latentkit variant is fitted PCA_BENCH_REPS times (default 3),
// interleaved so machine load hits all alike; rows report the median and every sample, plus the load average.
// Runs against the BUILT package. Standalone: `node packages/pca/bench/pca.bench.mjs` prints JSON.
import { fork } from 'node:child_process';
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
/** scikit-learn 1.2.1 (OpenBLAS, 2 threads) on the same data and machine class. */
const SKLEARN_SECONDS = { randomized: 0.95, exact: 2.5 };
const PEERS = [
  { name: 'ml-pca@4.1.1', script: 'peer-ml-pca.mjs' },
  { name: 'druidjs@0.9.0', script: 'peer-druidjs.mjs' },
];

export default async function bench({ log = (m) => process.stderr.write(`${m}\n`) } = {}) {
  const timeoutSeconds = Number(process.env.PCA_BENCH_PEER_TIMEOUT_S ?? 120);
  const { train, test } = await loadFashionMnist();
  const reps = Math.max(1, Number(process.env.PCA_BENCH_REPS ?? 3));
  const threads = availableParallelism();
  const workers = createWorkerCovarianceEngine(threads);
  const variants = [
    { name: 'latentkit-pca-exact', solver: 'exact', engine: undefined },
    { name: 'latentkit-pca-randomized', solver: 'randomized', engine: undefined },
    { name: `latentkit-pca-exact-threads${threads}`, solver: 'exact', engine: workers },
    { name: `latentkit-pca-randomized-threads${threads}`, solver: 'randomized', engine: workers },
  ];
  const samples = new Map(variants.map((v) => [v.name, []]));
  // Process CPU seconds (all threads): on a loaded machine, a steadier figure than wall time for one thread.
  const cpuSamples = new Map(variants.map((v) => [v.name, []]));
  const models = new Map();
  const loadBefore = loadavg()[0];
  try {
    for (let rep = 0; rep < reps; rep++) {
      for (const v of variants) {
        setCovarianceEngine(v.engine);
        const cpuBefore = process.cpuUsage();
        const { model: pca, result } = await fitPca(train, { latentDim: K, solver: v.solver }, { seed: 0 });
        const cpu = process.cpuUsage(cpuBefore);
        samples.get(v.name).push(result.seconds);
        cpuSamples.get(v.name).push((cpu.user + cpu.system) / 1e6);
        models.set(v.name, { pca, result });
        log(`pca: ${v.name} fit ${result.seconds.toFixed(2)} s (rep ${rep + 1}/${reps})`);
      }
    }
  } finally {
    setCovarianceEngine(undefined);
    await workers.close();
  }
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
      vsSklearn: round(seconds / SKLEARN_SECONDS[v.solver]),
    });
    log(`pca: ${v.name} median ${seconds.toFixed(2)} s, test MSE ${testMse.toFixed(6)}`);
  }
  for (const peer of PEERS) {
    const row = await runPeer(peer, timeoutSeconds);
    rows.push(row);
    log(`pca: ${peer.name} ${row.status}${row.fitSeconds ? ` ${row.fitSeconds} s` : ''}`);
  }
  const ratios = {};
  for (const mine of rows.filter((r) => r.name.startsWith('latentkit'))) {
    for (const peer of rows.filter((r) => !r.name.startsWith('latentkit'))) {
      // A timed-out peer took at least the time bound, so the ratio is an upper bound ("<=").
      const peerSeconds = peer.status === 'ok' ? peer.fitSeconds : timeoutSeconds;
      ratios[`${mine.name} / ${peer.name}`] = `${peer.status === 'ok' ? '' : '<='}${round(mine.fitSeconds / peerSeconds, 4)}`;
    }
  }
  return {
    suite: 'pca',
    rows,
    ratios,
    reference: { sklearnSeconds: SKLEARN_SECONDS, sklearnExplainedVarianceRatioSum: 0.7652, sklearnTestMse: 0.020446 },
    peerTimeoutSeconds: timeoutSeconds,
    repetitions: reps,
    loadAverage1m: { before: loadAverage[0], after: loadAverage[1], cores: threads },
  };
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
