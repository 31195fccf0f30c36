import { join, resolve } from 'node:path';
import { RUN_FORMAT, RUN_FORMAT_VERSION, RUN_MANIFEST_FILE, subsetDataset, type Dataset, type Matrix, type Reducer, type RunManifest, type RunModel } from '@latentkit/core';
import { scoreDataset } from '@latentkit/latent';
import { stageDir, writeFileAtomic } from '@latentkit/node-fs';
import { explainedVarianceSvg, imageGridPng, latentScatterSvg, lossCurvesSvg, pngDataUri, project2d, type GridRow } from '@latentkit/viz';
import { displayName, loadData, loadReducer, type CommandContext, type LoadedData } from '../context.js';
import { encodeAll, fitLatentDensities, heldOutAnomaly, interpolationPairs, interpolationRows, sampleRows, withoutClass } from '../analysis.js';
import { compareInto, compareTable } from './compare.js';
import { fitAndSave, type FitMetrics } from '../fit-pipeline.js';
import { reducerOptionsFromFlags } from '../reducer-options.js';
import { esc, figure, htmlTable, inlineSvg, renderReport, type ReportSection } from '../report.js';
import { runInfo } from '../run-info.js';
import type { FitFlags } from './fit.js';

export interface DemoFlags extends Partial<FitFlags> {
  out: string;
  quick?: boolean;
  force?: boolean;
  seed: string;
  heldOut: string;
}

const KINDS = ['pca', 'dense-ae', 'conv-ae'] as const;
const LATENT = 16;
const INTERP_LATENT = 8;
const INTERP_PAIRS: [number, number][] = [[1, 7], [3, 8], [4, 9], [0, 6]];

/** Timer for the "how it ran" table. */
function stopwatch() {
  const t0 = performance.now();
  const laps: Record<string, number> = {};
  let last = t0;
  return {
    lap(name: string) {
      const now = performance.now();
      laps[name] = (now - last) / 1000;
      last = now;
    },
    laps,
    total: () => (performance.now() - t0) / 1000,
  };
}

function toUint8(x: Matrix): Uint8Array {
  const out = new Uint8Array(x.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(Math.min(1, Math.max(0, x.data[i]!)) * 255);
  return out;
}

function asBytes(a: Float32Array | Int32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * `latentkit demo`: the main job on the embedded MNIST digits. Fits PCA, dense-ae and conv-ae at d=16 (and conv-ae
 * at d=8 for interpolation), analyses each latent space and writes a run folder with a self-contained report.html.
 */
export async function runDemo(ctx: CommandContext, flags: DemoFlags): Promise<void> {
  const seed = Number(flags.seed);
  const heldOut = Number(flags.heldOut);
  const registry = await ctx.registry();
  const quick = Boolean(flags.quick);
  const fitFlags: Partial<FitFlags> = { ...flags, ...(quick && flags.epochs === undefined ? { epochs: '2' } : {}) };
  const out = resolve(ctx.cwd, flags.out);
  const staged = await stageDir(out, { force: flags.force });
  const clock = stopwatch();
  try {
    const full = await loadData(ctx, 'mnist', seed);
    // --quick trains on a quarter of the split for a first look in under a minute.
    const data: LoadedData = quick ? { ...full, train: subsetDataset(full.train, range(2000)) } : full;
    clock.lap('load data');

    const compare = await compareInto(ctx, staged.path, { kinds: KINDS, latentDim: LATENT, data, seed, flags: fitFlags });
    clock.lap(`fit ${KINDS.join(', ')} (d=${LATENT})`);
    const d8 = await fitAndSave({
      registry,
      kind: 'conv-ae',
      latentDim: INTERP_LATENT,
      options: reducerOptionsFromFlags(registry.get('conv-ae'), fitFlags as Record<string, unknown>, fitFlags.opt, { strict: false }),
      data,
      seed,
      outDir: join(staged.path, `conv-ae-d${INTERP_LATENT}`),
      signal: ctx.signal,
      onProgress: ctx.progress.listener(`fit conv-ae d=${INTERP_LATENT}`),
    });
    clock.lap(`fit conv-ae (d=${INTERP_LATENT})`);

    const modelDirs = [...KINDS.map((k) => ({ dir: k as string, kind: k as string })), { dir: `conv-ae-d${INTERP_LATENT}`, kind: 'conv-ae' }];
    const metrics: FitMetrics[] = [...compare.metrics, d8.metrics];
    const reducers: Reducer[] = [...(await Promise.all(KINDS.map((k) => loadReducer(ctx, join(staged.path, k))))), d8.reducer];
    const points = { train: data.train, test: data.test };
    const models: RunModel[] = [];
    const sections: { scatter: string[]; interp: GridRow[]; samples: string[]; auc: (string | number)[][] } = { scatter: [], interp: [], samples: [], auc: [] };

    // Points shown by the viewer: train then test, with a split flag.
    await writeRunPoints(staged.path, points.train, points.test);

    for (let m = 0; m < reducers.length; m++) {
      const reducer = reducers[m]!;
      const { dir, kind } = modelDirs[m]!;
      const name = `${displayName(registry, kind)}, d=${reducer.latentDim}`;
      const progress = ctx.progress.listener(`latent ${dir}`);
      progress({ phase: 'encode', fraction: 0.1 });
      const codes = await encodeAll(reducer, [points.train.x, points.test.x]);
      await writeFileAtomic(join(staged.path, dir, 'codes.bin'), asBytes(codes.all.data));
      progress({ phase: 'densities', fraction: 0.3 });
      const densities = await fitLatentDensities(codes.parts[0]!, seed, ctx.signal);
      progress({ phase: 'scores', fraction: 0.6 });
      const scores = await scoreDataset(reducer, densities.gaussian, points.test, { reference: points.train });
      await writeFileAtomic(
        join(staged.path, dir, 'latent.json'),
        JSON.stringify({ gaussian: densities.gaussian.toJSON(), gmm: densities.gmm.toJSON(), scores: { reconstruction: Array.from(scores.reconstruction), density: Array.from(scores.density), combined: Array.from(scores.combined) } }) + '\n',
      );
      // The lecture's picture of the latent space: test codes (first two principal axes when d > 2).
      const proj = project2d(codes.parts[1]!);
      sections.scatter.push(
        inlineSvg(
          latentScatterSvg({ points: proj.points, ...(points.test.labels ? { labels: points.test.labels } : {}), ...(points.test.labelNames ? { labelNames: points.test.labelNames } : {}), title: `Latent space: ${name}` }),
          `${name}: test codes${proj.axes === 'pca' ? ' projected on their first two principal axes' : ''}`,
        ),
      );
      progress({ phase: 'samples', fraction: 0.8 });
      if (kind !== 'pca' || m === 0) {
        const rows = await sampleRows(reducer, { Gaussian: densities.gaussian, mixture: densities.gmm }, points.train.x, 12, seed);
        const png = imageGridPng(rows, { imageShape: [28, 28, 1] });
        const file = `samples-${dir}.png`;
        await writeFileAtomic(join(staged.path, file), png);
        sections.samples.push(figure(pngDataUri(png), `${name}: samples decoded from a Gaussian and a ${densities.gmm.toJSON().kind === 'gaussian-mixture' ? 'BIC-chosen mixture' : 'mixture'} fitted to the training codes, each over its nearest training image`));
      }
      if (kind === 'conv-ae' || kind === 'pca') {
        const pairs = interpolationPairs(points.test, INTERP_PAIRS);
        sections.interp.push(...(await interpolationRows(reducer, points.test.x, pairs.slice(0, kind === 'pca' ? 1 : pairs.length), 10, (i, j) => `${name}: ${label(points.test, i)}→${label(points.test, j)}`)));
      }
      progress({ phase: 'done', fraction: 1 });
      models.push({ dir, kind, displayName: displayName(registry, kind), latentDim: reducer.latentDim, testMse: metrics[m]!.test.mse });
    }
    clock.lap('latent densities, samples, interpolation');

    // Anomaly detection: refit each d=16 reducer without one digit class and ask how well each score finds it.
    const trainWithout = subsetDataset(data.train, withoutClass(data.train, heldOut), `${data.train.name} without ${heldOut}`);
    for (const kind of KINDS) {
      const { reducer } = await fitAndSave({
        registry,
        kind,
        latentDim: LATENT,
        options: reducerOptionsFromFlags(registry.get(kind), fitFlags as Record<string, unknown>, fitFlags.opt, { strict: false }),
        data: { ...data, train: trainWithout },
        seed,
        outDir: join(staged.path, 'held-out', kind),
        signal: ctx.signal,
        onProgress: ctx.progress.listener(`fit ${kind} w/o ${heldOut}`),
      });
      try {
        const codes = await reducer.encode(trainWithout.x);
        const { gaussian } = await fitLatentDensities(codes, seed, ctx.signal);
        const result = await heldOutAnomaly(reducer, gaussian, trainWithout, data.test, heldOut);
        sections.auc.push([displayName(registry, kind), result.auc.reconstruction, result.auc.density, result.auc.combined]);
      } finally {
        reducer.dispose();
      }
    }
    clock.lap(`anomaly refits without digit ${heldOut}`);

    // Pictures.
    const comparePng = imageGridPng(compare.grid, { imageShape: [28, 28, 1] });
    await writeFileAtomic(join(staged.path, 'compare.png'), comparePng);
    await writeFileAtomic(join(staged.path, 'compare.json'), JSON.stringify({ data: data.spec, seed, rows: compare.rows }, null, 2) + '\n');
    const interpPng = imageGridPng(sections.interp, { imageShape: [28, 28, 1] });
    await writeFileAtomic(join(staged.path, 'interpolation.png'), interpPng);
    const pcaRatios = metrics[0]!.explainedVarianceRatio ?? [];
    const varianceSvg = explainedVarianceSvg({
      ratios: await fullPcaSpectrum(ctx, data, seed, pcaRatios),
      markers: compare.rows.filter((r) => r.reducer !== 'pca').map((r) => ({ label: `${displayName(registry, r.reducer)} d=${r.latentDim}`, latentDim: r.latentDim, varianceExplained: r.varianceExplained })),
      title: 'Variance explained: PCA curve, autoencoders at their d',
    });
    await writeFileAtomic(join(staged.path, 'variance.svg'), varianceSvg);
    const lossSvg = lossCurvesSvg({
      series: metrics.filter((m) => m.history && m.history.length > 0).map((m) => ({ label: `${m.reducer} d=${m.latentDim}`, points: m.history! })),
      title: 'Training loss (solid) and validation loss (dashed)',
      logScale: true,
    });
    await writeFileAtomic(join(staged.path, 'loss.svg'), lossSvg);
    clock.lap('pictures');

    const info = runInfo({ seed, quick, timings: clock.laps, totalSeconds: clock.total(), command: `latentkit demo${quick ? ' --quick' : ''}` });
    const manifest: RunManifest = {
      format: RUN_FORMAT,
      formatVersion: RUN_FORMAT_VERSION,
      createdAt: new Date().toISOString(),
      seed,
      data: {
        spec: data.spec,
        name: data.train.name,
        n: points.train.x.rows + points.test.x.rows,
        features: data.train.x.cols,
        ...(data.train.imageShape ? { imageShape: data.train.imageShape } : {}),
        ...(data.train.labelNames ? { labelNames: data.train.labelNames } : {}),
        hasLabels: Boolean(data.train.labels),
      },
      models,
      info,
    };
    await writeFileAtomic(join(staged.path, RUN_MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
    const report: ReportSection[] = [
      {
        id: 'compare',
        heading: `Reconstructions at d=${LATENT}`,
        body:
          figure(pngDataUri(comparePng), `X (top) and g∘f(X) for each reducer at d=${LATENT} on unseen test digits`) +
          htmlTable(['reducer', 'd', 'test MSE', 'variance explained', 'fit seconds', 'parameters'], compare.rows.map((r) => [displayName(registry, r.reducer), r.latentDim, r.testMse, r.varianceExplained, r.fitSeconds, r.parameters])) +
          ratioSentence(compare.rows),
      },
      { id: 'variance', heading: 'Explained variance', body: inlineSvg(varianceSvg, 'PCA cumulative explained variance; each autoencoder placed at its latent size by 1 − MSE / variance') },
      { id: 'latent', heading: 'How the models arrange the data', body: `<div class="grid">${sections.scatter.join('')}</div>` },
      { id: 'interpolation', heading: 'Interpolation', body: figure(pngDataUri(interpPng), 'ξ(x, x′, α) = g((1−α)f(x) + αf(x′)) for α from 0 to 1 between test digits') },
      { id: 'samples', heading: 'Sampling from a fitted latent density', body: `<p>We don't know the right latent density: two guesses, a single Gaussian (mean and covariance of the training codes) and a Gaussian mixture with k chosen by BIC. The nearest training image under each sample shows samples are not copies.</p>${sections.samples.join('')}` },
      {
        id: 'anomaly',
        heading: `Anomaly detection: digit ${heldOut} held out`,
        body: `<p>Each reducer was refitted on the training digits without ${heldOut} and scored on the whole test set; ROC AUC of finding the ${heldOut}s (1 = perfect, 0.5 = chance).</p>${htmlTable(['reducer', 'reconstruction error', 'latent −log density', 'combined'], sections.auc)}`,
      },
      { id: 'loss', heading: 'Training curves', body: inlineSvg(lossSvg, 'Per-epoch loss of each autoencoder') },
      { id: 'run', heading: 'How it ran', body: htmlTable(['what', 'value'], Object.entries(flattenInfo(info))) },
    ];
    await writeFileAtomic(join(staged.path, 'report.html'), renderReport('latentkit demo: MNIST in 16 dimensions', `PCA, a dense autoencoder and a deep convolutional autoencoder compress ${esc(data.train.x.rows)} training digits to d=${LATENT} numbers each; everything below is measured on ${esc(data.test.x.rows)} unseen test digits.`, report));
    for (const r of reducers) r.dispose();
    await staged.commit();
    ctx.progress.stop();
    ctx.print(`${compareTable(compare.rows)}\n\nanomaly AUC (digit ${heldOut} held out): ${sections.auc.map((r) => `${r[0]} ${Number(r[3]).toFixed(3)}`).join(', ')}\nwrote ${join(flags.out, 'report.html')} in ${clock.total().toFixed(1)} s`, { out, models, compare: compare.rows, anomaly: sections.auc, info });
  } catch (e) {
    await staged.abort();
    throw e;
  }
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function label(d: { labels?: Int32Array; labelNames?: readonly string[] }, i: number): string {
  const l = d.labels?.[i];
  return l === undefined ? `#${i}` : (d.labelNames?.[l] ?? String(l));
}

async function writeRunPoints(dir: string, train: Dataset, test: Dataset): Promise<void> {
  await writeFileAtomic(join(dir, 'points', 'images.bin'), concatBytes(toUint8(train.x), toUint8(test.x)));
  if (train.labels && test.labels) {
    const labels = new Int32Array(train.labels.length + test.labels.length);
    labels.set(train.labels);
    labels.set(test.labels, train.labels.length);
    await writeFileAtomic(join(dir, 'points', 'labels.bin'), asBytes(labels));
  }
  const split = new Uint8Array(train.x.rows + test.x.rows);
  split.fill(1, train.x.rows);
  await writeFileAtomic(join(dir, 'points', 'split.bin'), split);
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** PCA's whole spectrum for the variance curve (a d=16 fit only knows its first 16 ratios). */
async function fullPcaSpectrum(ctx: CommandContext, data: LoadedData, seed: number, fallback: readonly number[]): Promise<number[]> {
  const registry = await ctx.registry();
  const pca = registry.create('pca', { latentDim: 100, solver: 'exact' });
  try {
    const r = await pca.fit(data.train, { seed });
    const ratios = r.info?.explainedVarianceRatio;
    return Array.isArray(ratios) ? [...(ratios as number[])] : [...fallback];
  } finally {
    pca.dispose();
  }
}

function ratioSentence(rows: readonly { reducer: string; testMse: number }[]): string {
  const pca = rows.find((r) => r.reducer === 'pca');
  if (!pca) return '';
  const parts = rows.filter((r) => r.reducer !== 'pca').map((r) => `${esc(r.reducer)} reaches ${(r.testMse / pca.testMse).toFixed(2)}× PCA's test MSE`);
  return parts.length ? `<p>${parts.join('; ')}.</p>` : '';
}

function flattenInfo(info: Record<string, unknown>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(info)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, flattenInfo(v as Record<string, unknown>, `${prefix}${k}.`));
    else out[`${prefix}${k}`] = typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : String(v);
  }
  return out;
}

