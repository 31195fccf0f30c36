// PCA d=16 on a 1M × 384 float32 NPY the bench writes (seeded, rank 24 plus noise, in a temp folder):
// `latentkit fit --reducer pca` end to end as a child process (it streams the file once: the training and
// held-out rows' statistics side by side, train/test MSE from them), its wall time and peak RSS, the same for
// the first 100k rows, and —
// where python3 can import scikit-learn (Debian's python3-sklearn) — sklearn's PCA(svd_solver='randomized')
// and IncrementalPCA on the same file in the same run. Goals (issue 14): the whole command within 1.5× sklearn's
// randomized fit; peak RSS for 1M rows within 1.5× that for 100k. Rows: LATENTKIT_BENCH_PCA_ROWS (default 1e6).
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = join(root, 'apps', 'cli', 'dist', 'bin.js');
const D = 384, RANK = 24, LATENT = 16;

/** xorshift32: a fast seeded uniform in [0, 1), enough for synthetic data. */
function uniform(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** Writes n rows of rank-RANK signal (decaying scales) plus uniform noise as a float32 NPY, a block at a time (exported for profiling runs on the same file). */
export function writeNpy(path, n, seed) {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${n}, ${D}), }`;
  while ((10 + header.length + 1) % 64 !== 0) header += ' ';
  header += '\n';
  const fd = openSync(path, 'w');
  const head = Buffer.alloc(10 + header.length);
  head.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  head.write(header, 10, 'latin1');
  writeSync(fd, head);
  const rnd = uniform(seed);
  const basis = Float64Array.from({ length: RANK * D }, () => rnd() - 0.5);
  const block = 4096;
  const rows = new Float32Array(block * D);
  const w = new Float64Array(RANK);
  for (let start = 0; start < n; start += block) {
    const count = Math.min(block, n - start);
    for (let r = 0; r < count; r++) {
      for (let c = 0; c < RANK; c++) w[c] = (rnd() - 0.5) * (RANK - c) * 2;
      const o = r * D;
      for (let j = 0; j < D; j++) rows[o + j] = 0.3 + 0.2 * (rnd() - 0.5);
      for (let c = 0; c < RANK; c++) {
        const wc = w[c], b = c * D;
        for (let j = 0; j < D; j++) rows[o + j] += wc * basis[b + j];
      }
    }
    writeSync(fd, new Uint8Array(rows.buffer, 0, count * D * 4));
  }
  closeSync(fd);
}

/** `latentkit fit` in a child process that reports its own peak RSS (all threads) at exit. */
function latentkitFit(file, dir, label) {
  const out = join(dir, `model-${label.replace(/\W+/g, "-")}`);
  const args = ['fit', '--data', `npy:${file}`, '--reducer', 'pca', '--latent', String(LATENT), '--out', out, '--quiet', '--json'];
  const script = join(dir, 'measure.mjs');
  writeFileSync(script, `process.on('exit', () => process.stderr.write('\\nRSS_KIB=' + process.resourceUsage().maxRSS + '\\n')); process.argv = [process.argv[0], ${JSON.stringify(bin)}, ...${JSON.stringify(args)}]; await import(${JSON.stringify('file://' + bin)});`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [script], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const wallSeconds = (performance.now() - t0) / 1000;
  rmSync(out, { recursive: true, force: true });
  const rss = /RSS_KIB=(\d+)/.exec(r.stderr ?? '');
  let metrics = {};
  try {
    metrics = JSON.parse(r.stdout);
  } catch {
    /* reported in status */
  }
  const ratio = metrics.explainedVarianceRatio;
  return {
    name: `latentkit fit pca d=${LATENT} (${label})`,
    status: r.status === 0 ? 'ok' : `exit ${r.status}: ${(r.stderr ?? '').trim().split('\n')[0]}`,
    wallSeconds: round(wallSeconds),
    fitSeconds: metrics.fitSeconds !== undefined ? round(metrics.fitSeconds) : null,
    peakRssMiB: rss ? Math.round(Number(rss[1]) / 1024) : null,
    trainMse: metrics.train?.mse ?? null,
    testMse: metrics.test?.mse ?? null,
    explainedVarianceRatioSum: Array.isArray(ratio) ? ratio.reduce((a, b) => a + b, 0) : null,
  };
}

const SKLEARN = `
import sys, time, resource, json
import numpy as np
which, path, k = sys.argv[1], sys.argv[2], int(sys.argv[3])
t0 = time.perf_counter()
if which == 'randomized':
    from sklearn.decomposition import PCA
    x = np.load(path)
    t1 = time.perf_counter()
    m = PCA(n_components=k, svd_solver='randomized', random_state=0).fit(x)
else:
    from sklearn.decomposition import IncrementalPCA
    x = np.load(path, mmap_mode='r')
    t1 = time.perf_counter()
    m = IncrementalPCA(n_components=k, batch_size=8192).fit(x)
t2 = time.perf_counter()
print(json.dumps({'loadSeconds': t1 - t0, 'fitSeconds': t2 - t1, 'wallSeconds': t2 - t0,
  'peakRssMiB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 'explainedVarianceRatioSum': float(m.explained_variance_ratio_.sum())}))
`;

/** The first python3 that imports scikit-learn (PATH's, then Debian's), or undefined. */
function findPython() {
  for (const py of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(py, ['-c', 'import sklearn, sys; print(sklearn.__version__)'], { encoding: 'utf8' });
    if (r.status === 0) return { py, version: r.stdout.trim() };
  }
  return undefined;
}

function sklearnFit(python, which, file, label) {
  const t0 = performance.now();
  const r = spawnSync(python.py, ['-c', SKLEARN, which, file, String(LATENT)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const wall = (performance.now() - t0) / 1000;
  const name = `sklearn ${which === 'randomized' ? "PCA(svd_solver='randomized')" : 'IncrementalPCA(batch_size=8192)'} d=${LATENT} (${label})`;
  if (r.status !== 0) return { name, status: `exit ${r.status}: ${(r.stderr ?? '').trim().split('\n').pop()}` };
  const m = JSON.parse(r.stdout.trim().split('\n').pop());
  return {
    name,
    status: 'ok',
    processWallSeconds: round(wall),
    wallSeconds: round(m.wallSeconds),
    loadSeconds: round(m.loadSeconds),
    fitSeconds: round(m.fitSeconds),
    peakRssMiB: Math.round(m.peakRssMiB),
    explainedVarianceRatioSum: m.explainedVarianceRatioSum,
  };
}

const round = (v) => Math.round(v * 1000) / 1000;
const ratio = (a, b) => (typeof a === 'number' && typeof b === 'number' && b > 0 ? round(a / b) : null);

export default async function bench({ log }) {
  const big = Number(process.env.LATENTKIT_BENCH_PCA_ROWS ?? 1_000_000);
  const small = Math.round(big / 10);
  const dir = mkdtempSync(join(tmpdir(), 'latentkit-pca-ooc-'));
  try {
    const bigFile = join(dir, 'big.npy'), smallFile = join(dir, 'small.npy');
    log(`writing ${big.toLocaleString('en')} × ${D} and ${small.toLocaleString('en')} × ${D} float32 NPY files`);
    writeNpy(bigFile, big, 1);
    writeNpy(smallFile, small, 1);
    const rows = [];
    log(`latentkit fit on ${small.toLocaleString('en')} rows`);
    const lkSmall = latentkitFit(smallFile, dir, `${small} rows`);
    rows.push(lkSmall);
    log(`latentkit fit on ${big.toLocaleString('en')} rows`);
    const lkBig = latentkitFit(bigFile, dir, `${big} rows`);
    rows.push(lkBig);
    const python = findPython();
    let skRandomized, skIncremental;
    if (python) {
      log(`scikit-learn ${python.version} (${python.py}) randomized PCA on ${big.toLocaleString('en')} rows`);
      skRandomized = sklearnFit(python, 'randomized', bigFile, `${big} rows`);
      log(`scikit-learn IncrementalPCA on ${big.toLocaleString('en')} rows`);
      skIncremental = sklearnFit(python, 'incremental', bigFile, `${big} rows`);
      rows.push(skRandomized, skIncremental);
    } else {
      log('scikit-learn not importable (apt-get install python3-sklearn): latentkit rows only');
    }
    return {
      suite: 'pca-out-of-core',
      rows,
      ratios: {
        // Goal ≤ 1.5: the whole latentkit command against sklearn's randomized fit alone.
        latentkitCommandOverSklearnRandomizedFit: ratio(lkBig.wallSeconds, skRandomized?.fitSeconds),
        latentkitCommandOverSklearnRandomizedLoadAndFit: ratio(lkBig.wallSeconds, skRandomized?.wallSeconds),
        latentkitCommandOverSklearnIncrementalLoadAndFit: ratio(lkBig.wallSeconds, skIncremental?.wallSeconds),
        // Goal ≤ 1.5: peak RSS does not grow with the rows.
        peakRssBigOverSmall: ratio(lkBig.peakRssMiB, lkSmall.peakRssMiB),
        latentkitPeakRssOverSklearnRandomized: ratio(lkBig.peakRssMiB, skRandomized?.peakRssMiB),
        // Accuracy: explained-variance sums should agree to ~1e-4.
        explainedVarianceSumDifference: skRandomized?.explainedVarianceRatioSum != null && lkBig.explainedVarianceRatioSum != null ? lkBig.explainedVarianceRatioSum - skRandomized.explainedVarianceRatioSum : null,
      },
      ...(python ? { sklearn: python.version } : {}),
      file: { rows: big, cols: D, rank: RANK, bytes: big * D * 4 },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
