import { join, resolve } from 'node:path';
import { LatentkitError, subsetDataset, type Dataset, type Reducer } from '@latentkit/core';
import { stageDir, writeFileAtomic } from '@latentkit/node-fs';
import { explainedVarianceSvg, imageGridPng, latentScatterSvg, lossCurvesSvg, pngDataUri, project2d, type GridRow } from '@latentkit/viz';
import { displayName, loadData, type CommandContext, type LoadedData } from '../context.js';
import { fitLatentDensities, heldOutAnomaly, interpolationPairs, interpolationRows, sampleRows, withoutClass } from '../analysis.js';
import { compareInto, compareTable } from './compare.js';
import { fitAndSave, type FitMetrics } from '../fit-pipeline.js';
import { reducerOptionsFromFlags } from '../reducer-options.js';
import { esc, figure, htmlTable, inlineSvg, renderReport, type ReportSection } from '../report.js';
import { runInfo } from '../run-info.js';
import { writeRunFolder, writeRunManifest, type RunModelAnalysis } from '../run-writer.js';
import type { FitFlags } from './fit.js';

export interface DemoFlags extends Partial<FitFlags> {
  out: string;
  quick?: boolean;
  force?: boolean;
  seed: string;
  heldOut: string;
  trainSize?: string;
}

const KINDS = ['pca', 'dense-ae', 'conv-ae'] as const;
const LATENT = 16;
const INTERP_LATENT = 8;
const INTERP_PAIRS: [number, number][] = [[1, 7], [3, 8], [4, 9], [0, 6]];
const QUICK_TRAIN = 2000;
/** --quick epochs per kind: dense layers are cheap and need steps; the CNN gets a first look. */
const QUICK_EPOCHS: Readonly<Record<string, string>> = { 'dense-ae': '10', 'conv-ae': '2' };

/** Wall-clock laps for the report's "how it ran" table. */
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

/**
 * `latentkit demo`: the main job on the embedded MNIST digits. Fits PCA, dense-ae and conv-ae at d=16 (and conv-ae
 * at d=8 for interpolation), analyses each latent space, and writes a run folder (viewable with `latentkit view`)
 * with a self-contained report.html.
 */
export async function runDemo(ctx: CommandContext, flags: DemoFlags): Promise<void> {
  const seed = Number(flags.seed);
  const heldOut = Number(flags.heldOut);
  const registry = await ctx.registry();
  const quick = Boolean(flags.quick);
  // --quick: a quarter of the digits and few epochs, for a first look in about a minute.
  const optionsFor = (kind: string) => {
    const epochs = flags.epochs ?? (quick ? QUICK_EPOCHS[kind] : undefined);
    return reducerOptionsFromFlags(registry.get(kind), { ...flags, epochs } as Record<string, unknown>, flags.opt, { strict: false });
  };
  const out = resolve(ctx.cwd, flags.out);
  const staged = await stageDir(out, { force: flags.force });
  const clock = stopwatch();
  const reducers: Reducer[] = [];
  try {
    const full = await loadData(ctx, 'mnist', seed);
    const trainSize = flags.trainSize !== undefined ? positiveInt('train-size', flags.trainSize) : quick ? QUICK_TRAIN : full.train.x.rows;
    // The split is already shuffled and stratified, so its first rows are a fair subset.
    const data: LoadedData = trainSize < full.train.x.rows ? { ...full, train: subsetDataset(full.train, Array.from({ length: trainSize }, (_, i) => i)) } : full;
    clock.lap('load data');

    const compare = await compareInto(ctx, staged.path, { kinds: KINDS, latentDim: LATENT, data, seed, options: optionsFor });
    reducers.push(...compare.reducers);
    clock.lap(`fit ${KINDS.join(', ')} (d=${LATENT})`);
    const d8Dir = `conv-ae-d${INTERP_LATENT}`;
    const d8 = await fitAndSave({
      registry,
      kind: 'conv-ae',
      latentDim: INTERP_LATENT,
      options: optionsFor('conv-ae'),
      data,
      seed,
      outDir: join(staged.path, d8Dir),
      signal: ctx.signal,
      onProgress: ctx.progress.listener(`fit conv-ae d=${INTERP_LATENT}`),
    });
    reducers.push(d8.reducer);
    clock.lap(`fit conv-ae (d=${INTERP_LATENT})`);

    const metrics: FitMetrics[] = [...compare.metrics, d8.metrics];
    const dirs = [...KINDS, d8Dir];
    const { analyses, manifest } = await writeRunFolder(
      staged.path,
      { data, seed, ...(quick ? { maxMixtureComponents: 4 } : {}), models: reducers.map((reducer, i) => ({ dir: dirs[i]!, kind: reducer.kind, displayName: displayName(registry, reducer.kind), reducer, testMse: metrics[i]!.test.mse })) },
      ctx.progress,
      ctx.signal,
    );
    clock.lap('codes, latent densities, anomaly scores');

    const pictures = await latentPictures(analyses, data);
    clock.lap('samples and interpolation');

    // Anomaly detection: refit each d=16 reducer without one digit class; how well does each score find it?
    const trainWithout = subsetDataset(data.train, withoutClass(data.train, heldOut));
    const aucRows: (string | number)[][] = [];
    // --quick skips the CNN refit: it is the slow one, and PCA and the dense AE already show the idea.
    for (const kind of KINDS.filter((k) => !(quick && k === 'conv-ae'))) {
      const { reducer } = await fitAndSave({
        registry,
        kind,
        latentDim: LATENT,
        options: optionsFor(kind),
        data: { ...data, train: trainWithout },
        seed,
        outDir: join(staged.path, 'held-out', kind),
        signal: ctx.signal,
        onProgress: ctx.progress.listener(`fit ${kind} w/o ${heldOut}`),
      });
      try {
        const { gaussian } = await fitLatentDensities(await reducer.encode(trainWithout.x), seed, ctx.signal);
        const r = await heldOutAnomaly(reducer, gaussian, trainWithout, data.test, heldOut);
        aucRows.push([displayName(registry, kind), r.auc.reconstruction, r.auc.density, r.auc.combined]);
      } finally {
        reducer.dispose();
      }
    }
    clock.lap(`anomaly refits without digit ${heldOut}`);

    const comparePng = imageGridPng(compare.grid, { imageShape: [28, 28, 1] });
    await writeFileAtomic(join(staged.path, 'compare.png'), comparePng);
    await writeFileAtomic(join(staged.path, 'compare.json'), JSON.stringify({ data: data.spec, seed, rows: compare.rows }, null, 2) + '\n');
    await writeFileAtomic(join(staged.path, 'interpolation.png'), pictures.interpolationPng);
    for (const s of pictures.samples) await writeFileAtomic(join(staged.path, `samples-${s.dir}.png`), s.png);
    const varianceSvg = explainedVarianceSvg({
      ratios: await pcaSpectrum(ctx, data, seed),
      markers: compare.rows.filter((r) => r.reducer !== 'pca').map((r) => ({ label: displayName(registry, r.reducer), latentDim: r.latentDim, varianceExplained: r.varianceExplained })),
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
    await writeRunManifest(staged.path, { ...manifest, info });
    const sections: ReportSection[] = [
      {
        id: 'compare',
        heading: `Reconstructions at d=${LATENT}`,
        body:
          figure(pngDataUri(comparePng), `X (top) and g∘f(X) for each reducer at d=${LATENT} on unseen test digits`) +
          htmlTable(['reducer', 'd', 'test MSE', 'variance explained', 'fit seconds', 'parameters'], compare.rows.map((r) => [displayName(registry, r.reducer), r.latentDim, r.testMse, r.varianceExplained, r.fitSeconds, r.parameters])) +
          ratioSentence(compare.rows),
      },
      { id: 'variance', heading: 'Explained variance', body: inlineSvg(varianceSvg, 'PCA cumulative explained variance; each autoencoder placed at its latent size by 1 − MSE / variance') },
      { id: 'latent', heading: 'How the models arrange the data', body: `<div class="grid">${pictures.scatter.join('')}</div>` },
      { id: 'interpolation', heading: 'Interpolation', body: figure(pngDataUri(pictures.interpolationPng), 'ξ(x, x′, α) = g((1−α)f(x) + αf(x′)) for α from 0 to 1 between test digits') },
      {
        id: 'samples',
        heading: 'Sampling from a fitted latent density',
        body: `<p>We don't know the right latent density: two guesses, a single Gaussian (mean and covariance of the training codes) and a Gaussian mixture with k chosen by BIC. The nearest training image under each sample shows samples are not copies.</p>${pictures.samples.map((s) => figure(pngDataUri(s.png), s.caption)).join('')}`,
      },
      {
        id: 'anomaly',
        heading: `Anomaly detection: digit ${heldOut} held out`,
        body: `<p>Each reducer was refitted on the training digits without ${heldOut} and scored on the whole test set; ROC AUC of finding the ${heldOut}s (1 = perfect, 0.5 = chance).</p>${htmlTable(['reducer', 'reconstruction error', 'latent −log density', 'combined'], aucRows)}`,
      },
      { id: 'loss', heading: 'Training curves', body: inlineSvg(lossSvg, 'Per-epoch loss of each autoencoder') },
      { id: 'run', heading: 'How it ran', body: htmlTable(['what', 'value'], Object.entries(flattenInfo(info))) },
    ];
    const intro = `PCA, a dense autoencoder and a deep convolutional autoencoder compress ${esc(data.train.x.rows)} training digits to d=${LATENT} numbers each; everything below is measured on ${esc(data.test.x.rows)} unseen test digits. Explore it interactively with <code>latentkit view ${esc(flags.out)}</code>.`;
    await writeFileAtomic(join(staged.path, 'report.html'), renderReport(`latentkit demo: MNIST in ${LATENT} dimensions`, intro, sections));
    await staged.commit();
    ctx.progress.stop();
    ctx.print(
      `${compareTable(compare.rows)}\n\nanomaly AUC, digit ${heldOut} held out (combined score): ${aucRows.map((r) => `${r[0]} ${Number(r[3]).toFixed(3)}`).join(', ')}\nwrote ${join(flags.out, 'report.html')} in ${clock.total().toFixed(1)} s (explore: latentkit view ${flags.out})`,
      { out, models: manifest.models, compare: compare.rows, anomaly: aucRows, info },
    );
  } catch (e) {
    await staged.abort();
    throw e;
  } finally {
    for (const r of reducers) r.dispose();
  }
}

/** Scatter plots of every model, interpolation strips (conv-ae d=8 and d=16, PCA for contrast), sample grids. */
async function latentPictures(analyses: readonly RunModelAnalysis[], data: LoadedData) {
  const scatter: string[] = [];
  const interp: GridRow[] = [];
  const samples: { dir: string; png: Uint8Array; caption: string }[] = [];
  const test: Dataset = data.test;
  const pairs = interpolationPairs(test, INTERP_PAIRS);
  for (const a of analyses) {
    const name = `${a.displayName}, d=${a.reducer.latentDim}`;
    const proj = project2d(a.testCodes);
    scatter.push(
      inlineSvg(
        latentScatterSvg({ points: proj.points, ...(test.labels ? { labels: test.labels } : {}), ...(test.labelNames ? { labelNames: test.labelNames } : {}), title: `Latent space: ${name}` }),
        `${name}: test codes${proj.axes === 'pca' ? ' on their first two principal axes' : ''}`,
      ),
    );
    const rows = await sampleRows(a.reducer, { Gaussian: a.densities.gaussian, mixture: a.densities.gmm }, data.train.x, 12, 0);
    samples.push({ dir: a.dir, png: imageGridPng(rows, { imageShape: [28, 28, 1] }), caption: `${name}: decoded samples from a Gaussian and from a mixture fitted to the training codes, each over its nearest training image` });
    if (a.kind === 'conv-ae' || a.kind === 'pca') {
      const use = a.kind === 'pca' ? pairs.slice(0, 1) : pairs;
      interp.push(...(await interpolationRows(a.reducer, test.x, use, 10, (i, j) => `${name}: ${label(test, i)} to ${label(test, j)}`)));
    }
  }
  return { scatter, samples, interpolationPng: imageGridPng(interp, { imageShape: [28, 28, 1] }) };
}

function positiveInt(name: string, raw: string): number {
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 10) throw new LatentkitError('E_OPTION', `--${name} expects an integer ≥ 10, got "${raw}"`);
  return v;
}

function label(d: Dataset, i: number): string {
  const l = d.labels?.[i];
  return l === undefined ? `#${i}` : (d.labelNames?.[l] ?? String(l));
}

/** PCA's leading 100 ratios for the variance curve (a d=16 fit only knows its first 16). */
async function pcaSpectrum(ctx: CommandContext, data: LoadedData, seed: number): Promise<number[]> {
  const pca = (await ctx.registry()).create('pca', { latentDim: 100 });
  try {
    const ratios = (await pca.fit(data.train, { seed })).info?.explainedVarianceRatio;
    return Array.isArray(ratios) ? [...(ratios as number[])] : [];
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
