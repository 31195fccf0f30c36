// Gaussian-mixture fit benchmark: the demo's call (packages/run's fitLatentDensities) on realistic codes,
// 8,000 MNIST training digits projected to d = 16 (and 8) by PCA: k = 1..10 by BIC on a 3,000-code subset,
// full covariances, then the winner refitted on every code. GMM_BENCH_BASELINE_DIST=<a copy of an earlier
// packages/latent/dist/> (@latentkit/core must resolve from it: copy it inside packages/latent, or link a node_modules beside it) adds
// `baseline-…` rows, timed interleaved with the current build in this process, and checks the two chose
// the same k with the same log-likelihood. GMM_BENCH_REPS (default 3) fits per variant; GMM_BENCH_DIMS
// (default "16,8") the code sizes. Runs against the BUILT package. Standalone: `node packages/latent/bench/gmm.bench.mjs`.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fitGaussianMixture } from '../dist/index.js';

// The data and PCA packages are the CLI's dependencies, not this package's: resolve them from there.
const cli = createRequire(new URL('../../../apps/cli/package.json', import.meta.url));
const DEMO_CALL = { kRange: [1, 10], seed: 0, covariance: 'full', selectionSampleSize: 3000 };
const round = (v, digits = 3) => Number(v.toFixed(digits));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export default async function bench({ log = (m) => process.stderr.write(`${m}\n`) } = {}) {
  const reps = Math.max(1, Number(process.env.GMM_BENCH_REPS ?? 3));
  const dims = (process.env.GMM_BENCH_DIMS ?? '16,8').split(',').map(Number);
  const { loadMnistSplit } = await import(pathToFileURL(cli.resolve('@latentkit/data/node')).href);
  const { fitPca } = await import(pathToFileURL(cli.resolve('@latentkit/pca')).href);
  const { train } = await loadMnistSplit({ seed: 0 });
  const baselineDir = process.env.GMM_BENCH_BASELINE_DIST;
  const variants = [{ name: 'latentkit', fit: fitGaussianMixture }];
  if (baselineDir) variants.push({ name: 'baseline', fit: (await import(pathToFileURL(join(baselineDir, 'index.js')).href)).fitGaussianMixture });

  const rows = [];
  const ratios = {};
  for (const d of dims) {
    const { model } = await fitPca(train, { latentDim: d }, { seed: 0 });
    const codes = await model.encode(train.x);
    const samples = new Map(variants.map((v) => [v.name, { wall: [], cpu: [] }]));
    const fits = new Map();
    // Interleaved, so a change in machine load hits every variant alike.
    for (let rep = 0; rep < reps; rep++) {
      for (const v of variants) {
        const cpu = process.cpuUsage();
        const started = performance.now();
        const g = await v.fit(codes, DEMO_CALL);
        samples.get(v.name).wall.push((performance.now() - started) / 1000);
        const used = process.cpuUsage(cpu);
        samples.get(v.name).cpu.push((used.user + used.system) / 1e6);
        fits.set(v.name, g);
      }
    }
    for (const v of variants) {
      const g = fits.get(v.name);
      const s = samples.get(v.name);
      const row = {
        name: `${v.name}-gmm-bic-d${d}`,
        codes: `${codes.rows}x${d}`,
        fitSeconds: round(median(s.wall)),
        cpuSeconds: round(median(s.cpu)),
        fitSecondsSamples: s.wall.map((t) => round(t)),
        k: g.k,
        logLikelihood: g.logLikelihood,
        bic: g.bic,
        iterations: g.iterations,
      };
      rows.push(row);
      log(`gmm: ${row.name} median ${row.fitSeconds} s (cpu ${row.cpuSeconds} s), k=${g.k}, log L ${g.logLikelihood.toFixed(4)}`);
    }
    if (baselineDir) {
      const [now, before] = [fits.get('latentkit'), fits.get('baseline')];
      const [rNow, rBefore] = [rows.at(-2), rows.at(-1)];
      ratios[`d${d} baseline / latentkit (wall)`] = round(rBefore.fitSeconds / rNow.fitSeconds, 2);
      ratios[`d${d} baseline / latentkit (cpu)`] = round(rBefore.cpuSeconds / rNow.cpuSeconds, 2);
      ratios[`d${d} same k`] = now.k === before.k;
      ratios[`d${d} log-likelihood relative difference`] = Math.abs(now.logLikelihood - before.logLikelihood) / Math.abs(before.logLikelihood);
      const beforeSamples = before.sample(200, 3).data;
      ratios[`d${d} same samples`] = now.sample(200, 3).data.every((v, i) => v === beforeSamples[i]);
    }
  }
  return { suite: 'latent-gmm', call: DEMO_CALL, reps, rows, ratios };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(`${JSON.stringify(await bench(), null, 2)}\n`);
}
