import { join, resolve } from 'node:path';
import { canReconstruct, describeOptions, encodeWith, hasCapability, mse, reconstruct, subsetDataset, type Dataset, type ReducerPlugin, type Reducer, type ReducerRegistry } from '@latentkit/core';
import { stageDir, writeFileAtomic } from '@latentkit/node-fs';
import { anomalyScores, fitAndSave, writeRunFolder, writeRunManifest, type FitMetrics, type RunModelAnalysis } from '@latentkit/run/node';
import { explainedVarianceSvg, imageGridPng, lossCurvesSvg, pngDataUri, type GridRow } from '@latentkit/viz';
import { MNIST_LABELS } from '@latentkit/data';
import { fitGaussian, heldOutClassAuc } from '@latentkit/latent';
import { displayName, inputFiles, loadData, type CommandContext, type LoadedData } from '../context.js';
import { parseIntFlag, parseLabel, parseSeed } from '../flags.js';
import { heldOutAnomaly, interpolationPairs, interpolationRows, sampleRows, withoutClass, type AnomalyAuc } from '../analysis.js';
import { builtinPlugins } from '../builtin-plugins.js';
import { compareInto, compareTable, fittedOutputs, parseKinds, runModel, scatterSvgs, validateAll, type CompareRow } from './compare.js';
import { assertOptionsUsed, rawOptions, reducerOptions } from '../reducer-options.js';
import { MISSING } from '../format.js';
import { esc, figure, htmlTable, inlineSvg, renderReport, type ReportSection } from '../report.js';
import { runInfo } from '../run-info.js';
import { varianceSpectrum, type VarianceSpectrum } from '../spectrum.js';
import type { FitFlags } from './fit.js';
import { compressionReport } from '../demo-sections/compression.js';
import { restorationReport } from '../demo-sections/restoration.js';
import { priorSamplesReport } from '../demo-sections/prior-samples.js';
import { baselineWarnings, figureWarnings, type DecodedFigure, type DemoWarning, type MseRow } from '../demo-checks.js';

export interface DemoFlags extends Partial<FitFlags> {
  out: string;
  quick?: boolean;
  force?: boolean;
  seed: string;
  heldOut: string;
  trainSize?: string;
  testSize?: string;
  reducers?: string;
}

/** The demo's data: the embedded MNIST digits (labels 0–9). */
const DEMO_DATA = 'mnist';
const LATENT = 16;
const INTERP_LATENT = 8;
const INTERP_PAIRS: [number, number][] = [[1, 7], [3, 8], [4, 9], [0, 6]];
/** --quick: a first look in about a minute and a half on 2 cores — fewer digits to train on and to measure. */
const QUICK_TRAIN = 1000;
const QUICK_TEST = 500;
/** Digits each anomaly refit trains on: ranking one unseen class needs far less than the showcase fits. */
const REFIT_ROWS = 2000;
/** --quick refits this many reducers for the anomaly table: the fastest to fit. */
const QUICK_REFITS = 2;

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

/** A share of the default epochs (at least 2) for any reducer with an integer "epochs" option. */
function scaledEpochs(plugin: ReducerPlugin, share: number): Record<string, unknown> {
  const epochs = describeOptions(plugin.options).find((o) => o.name === 'epochs' && typeof o.default === 'number');
  return epochs ? { epochs: Math.max(2, Math.round((epochs.default as number) * share)) } : {};
}

/** --quick, and the anomaly refits: a quarter of the default epochs. */
const quickEpochs = (plugin: ReducerPlugin) => scaledEpochs(plugin, 1 / 4);

/**
 * The reducer refitted at d=8 for interpolation: the last of the demo's reducers (in declared order, where
 * built-ins go from the linear baseline to the richest model) whose plugin encodes and decodes.
 */
function interpolationKind(plugins: readonly ReducerPlugin[]): string | undefined {
  return plugins.filter((p) => hasCapability(p, 'encode') && hasCapability(p, 'decode')).at(-1)?.kind;
}

interface AnomalyRow extends AnomalyAuc {
  readonly reducer: string;
  /** AUC of −(lower bound on log p(x)), for models with capability "likelihood-bound" (a VAE's −ELBO). */
  readonly likelihood?: number;
}

/** How well −log p(x)'s bound finds the held-out class, where the model has one. */
async function likelihoodAuc(reducer: Reducer, test: Dataset, heldOut: number): Promise<number | undefined> {
  if (!hasCapability(reducer, 'likelihood-bound') || !reducer.logLikelihoodBound || !test.labels) return undefined;
  const bound = await reducer.logLikelihoodBound(test.x, { seed: 0 });
  return heldOutClassAuc(bound.map((v) => -v), test.labels, heldOut);
}

/**
 * `latentkit demo`: the main job on the embedded MNIST digits. Fits every built-in reducer (or --reducers) at
 * d=16, and the richest one that reconstructs also at d=8 for interpolation; analyses each latent space as far as
 * its capabilities allow, and writes a run folder (viewable with `latentkit view`) with a self-contained report.html.
 */
export async function runDemo(ctx: CommandContext, flags: DemoFlags): Promise<void> {
  // Every flag is checked before the data is read or anything is fitted (the demo's data is always mnist).
  const seed = parseSeed(flags.seed);
  const heldOut = parseLabel('--held-out', flags.heldOut, MNIST_LABELS, DEMO_DATA);
  const requestedTrainSize = flags.trainSize !== undefined ? parseIntFlag('--train-size', flags.trainSize, 10) : undefined;
  const requestedTestSize = flags.testSize !== undefined ? parseIntFlag('--test-size', flags.testSize, 20) : undefined;
  const registry = await ctx.registry();
  const quick = Boolean(flags.quick);
  const kinds = flags.reducers ? parseKinds(flags.reducers) : builtinPlugins.map((p) => p.kind);
  const plugins = kinds.map((k) => registry.get(k));
  const raw = rawOptions(flags as unknown as Record<string, unknown>, flags.opt);
  assertOptionsUsed(plugins, raw);
  const optionsFor = (kind: string) => {
    const plugin = registry.get(kind);
    return { ...(quick ? quickEpochs(plugin) : {}), ...reducerOptions(plugin, raw, { strict: false }) };
  };
  const interpKind = interpolationKind(plugins);
  await validateAll(registry, kinds, LATENT, optionsFor);
  if (interpKind) await registry.settings(interpKind, INTERP_LATENT, optionsFor(interpKind));
  const out = resolve(ctx.cwd, flags.out);
  const staged = await stageDir(out, { force: flags.force, protect: await inputFiles(ctx, DEMO_DATA) });
  const clock = stopwatch();
  const reducers: Reducer[] = [];
  try {
    const full = await loadData(ctx, DEMO_DATA, seed);
    // More than the split holds trains on all of it.
    const trainSize = requestedTrainSize ?? (quick ? QUICK_TRAIN : full.train.x.rows);
    // The split is already shuffled and stratified, so its first rows are a fair subset.
    const first = (d: Dataset, n: number) => (n < d.x.rows ? subsetDataset(d, Array.from({ length: n }, (_, i) => i)) : d);
    const data: LoadedData = { ...full, train: first(full.train, trainSize), test: first(full.test, requestedTestSize ?? (quick ? QUICK_TEST : full.test.x.rows)) };
    clock.lap('load data');

    const compare = await compareInto(ctx, staged.path, { kinds, latentDim: LATENT, data, seed, options: optionsFor });
    reducers.push(...compare.reducers);
    clock.lap(`fit ${kinds.join(', ')} (d=${LATENT})`);
    const metrics: FitMetrics[] = [...compare.metrics];
    const models = compare.reducers.map((r, i) => runModel(registry, kinds[i]!, r, compare.computed[i]));
    const interpDirs = new Set<string>();
    if (interpKind) {
      const d8Dir = `${interpKind}-d${INTERP_LATENT}`;
      const d8 = await fitAndSave({
        workers: ctx.workers,
        registry,
        kind: interpKind,
        latentDim: INTERP_LATENT,
        // 40% of the epochs (conv-ae: 2 of 4; test MSE 0.025 against PCA's 0.038 at d=8): the d=8 model is drawn
        // (interpolations, samples), not ranked against the d=16 ones.
        options: { ...(quick ? {} : scaledEpochs(registry.get(interpKind), 0.4)), ...optionsFor(interpKind) },
        data,
        seed,
        outDir: join(staged.path, d8Dir),
        signal: ctx.signal,
        onProgress: ctx.progress.listener(`fit ${interpKind} d=${INTERP_LATENT}`),
      });
      reducers.push(d8.reducer);
      metrics.push(d8.metrics);
      models.push(runModel(registry, d8Dir, d8.reducer, fittedOutputs(d8)));
      interpDirs.add(interpKind).add(d8Dir);
      clock.lap(`fit ${interpKind} (d=${INTERP_LATENT})`);
    }

    const { analyses, manifest } = await writeRunFolder(
      staged.path,
      { data, seed, models, ...(quick ? { maxMixtureComponents: 4 } : {}) },
      { listener: (l) => ctx.progress.listener(l), signal: ctx.signal },
    );
    clock.lap('codes, latent densities, anomaly scores');

    const pictures = await latentPictures(analyses, data, interpDirs);
    clock.lap('samples and interpolation');

    const prior = await priorSamplesReport(analyses, data.train, data.test, seed, quick ? 300 : 1000);
    clock.lap('prior samples against fitted densities');
    const restoration = await restorationReport(analyses, data.test.x, [28, 28, 1], seed);
    clock.lap('restoration');
    const compression = await compressionReport(analyses, data.train.x, data.test.x, [28, 28, 1]);
    clock.lap('compression');

    const { rows: aucRows, skipped: refitsSkipped } = await anomalyRows(ctx, { kinds, compare: compare.rows, data, seed, heldOut, quick, optionsFor, dir: staged.path });
    clock.lap(`anomaly refits without digit ${heldOut}`);

    const imageShape: [number, number, number] = [28, 28, 1];
    const comparePng = compare.grid.length > 1 ? imageGridPng(compare.grid, { imageShape }) : undefined;
    if (comparePng) await writeFileAtomic(join(staged.path, 'compare.png'), comparePng);
    await writeFileAtomic(join(staged.path, 'compare.json'), JSON.stringify({ data: data.spec, seed, rows: compare.rows }, null, 2) + '\n');
    if (pictures.interpolationPng) await writeFileAtomic(join(staged.path, 'interpolation.png'), pictures.interpolationPng);
    if (prior) await writeFileAtomic(join(staged.path, 'prior-samples.png'), prior.png);
    if (restoration) await writeFileAtomic(join(staged.path, 'restoration.png'), restoration.png);
    if (compression) {
      await writeFileAtomic(join(staged.path, 'compression.svg'), compression.svg);
      await writeFileAtomic(join(staged.path, 'compression.md'), compression.markdown);
    }
    for (const s of pictures.samples) await writeFileAtomic(join(staged.path, `samples-${s.dir}.png`), s.png);
    const spectrum = await varianceSpectrum(registry, data, seed, ctx.signal);
    const mseRows: MseRow[] = [...compare.rows, ...metrics.filter((m) => m.latentDim !== LATENT && m.test.mse !== undefined).map((m) => ({ reducer: m.reducer, latentDim: m.latentDim, testMse: m.test.mse }))];
    if (spectrum && interpKind && interpKind !== spectrum.kind) mseRows.push(await baselineRow(registry, spectrum.kind, INTERP_LATENT, data, seed));
    const warnings: DemoWarning[] = [...baselineWarnings(mseRows, spectrum?.kind, (k) => displayName(registry, k)), ...figureWarnings(pictures.decoded)];
    for (const w of warnings) process.stderr.write(`latentkit: warning: ${displayName(registry, w.model)}: ${w.message}\n`);
    clock.lap('self-check');
    const varianceSvg = spectrum ? varianceChart(spectrum, compare.rows, registry.get(spectrum.kind).displayName ?? spectrum.kind, (k) => displayName(registry, k)) : undefined;
    if (varianceSvg) await writeFileAtomic(join(staged.path, 'variance.svg'), varianceSvg);
    const histories = metrics.filter((m) => m.history && m.history.length > 0);
    const lossSvg = histories.length
      ? lossCurvesSvg({ series: histories.map((m) => ({ label: `${m.reducer} d=${m.latentDim}`, points: m.history! })), title: 'Training loss (solid) and validation loss (dashed)', logScale: true })
      : undefined;
    if (lossSvg) await writeFileAtomic(join(staged.path, 'loss.svg'), lossSvg);
    clock.lap('pictures');

    const info = runInfo({ seed, quick, timings: clock.laps, totalSeconds: clock.total(), command: `latentkit demo${quick ? ' --quick' : ''}` });
    await writeRunManifest(staged.path, { ...manifest, info });
    const name = (kind: string) => displayName(registry, kind);
    const cell = (v: number | undefined) => v ?? MISSING;
    const spectrumName = spectrum ? name(spectrum.kind) : '';
    const sections: (ReportSection | undefined)[] = [
      checksSection(warnings, spectrum ? spectrumName : undefined, name),
      {
        id: 'compare',
        heading: `Reconstructions at d=${LATENT}`,
        body:
          (comparePng ? figure(pngDataUri(comparePng), `X (top) and g∘f(X) for each reducer that reconstructs, at d=${LATENT}, on unseen test digits`) : '') +
          htmlTable(['reducer', 'd', 'test MSE', 'variance explained', 'fit seconds', 'parameters'], compare.rows.map((r) => [name(r.reducer), r.latentDim, cell(r.testMse), cell(r.varianceExplained), r.fitSeconds, r.parameters])) +
          ratioSentence(compare.rows, spectrum?.kind, name),
      },
      varianceSvg ? { id: 'variance', heading: 'Explained variance', body: inlineSvg(varianceSvg, `${spectrumName} cumulative explained variance; each other reducer that reconstructs placed at its latent size by 1 − MSE / variance`) } : undefined,
      pictures.scatter.length ? { id: 'latent', heading: 'How the models arrange the data', body: `<div class="grid">${pictures.scatter.join('')}</div>` } : undefined,
      pictures.interpolationPng ? { id: 'interpolation', heading: 'Interpolation', body: figure(pngDataUri(pictures.interpolationPng), 'ξ(x, x′, α) = g((1−α)f(x) + αf(x′)) for α from 0 to 1 between test digits') } : undefined,
      pictures.samples.length
        ? {
            id: 'samples',
            heading: 'Sampling from a fitted latent density',
            body: `<p>We don't know the right latent density: two guesses, a single Gaussian (mean and covariance of the training codes) and a Gaussian mixture with k chosen by BIC. The nearest training image under each sample shows samples are not copies.</p>${pictures.samples.map((s) => figure(pngDataUri(s.png), s.caption)).join('')}`,
          }
        : undefined,
      prior?.section,
      aucRows.length
        ? {
            id: 'anomaly',
            heading: `Anomaly detection: digit ${heldOut} held out`,
            body: `<p>Each reducer was refitted on at most ${REFIT_ROWS.toLocaleString('en-US')} training digits without ${heldOut}${quick ? '' : ' (a quarter of the epochs: these models rank, they are not shown)'} and scored on the whole test set; ROC AUC of finding the ${heldOut}s (1 = perfect, 0.5 = chance). Reducers that cannot reconstruct have only the density score; a model with a bound on log p(x) (the VAE's ELBO) also scores by −ELBO.${refitsSkipped.length ? ` --quick skipped the refits of the slowest: ${esc(listOf(refitsSkipped.map(name)))}.` : ''}</p>${htmlTable(['reducer', 'reconstruction error', 'latent −log density', '−ELBO (−log p(x) bound)', 'combined'], aucRows.map((r) => [name(r.reducer), cell(r.reconstruction), r.density, cell(r.likelihood), cell(r.combined)]))}`,
          }
        : undefined,
      restoration?.section,
      compression?.section,
      lossSvg ? { id: 'loss', heading: 'Training curves', body: inlineSvg(lossSvg, 'Per-epoch loss of each reducer that trains in epochs') } : undefined,
      { id: 'run', heading: 'How it ran', body: htmlTable(['what', 'value'], Object.entries(flattenInfo(info))) },
    ];
    const names = kinds.map(name);
    const intro = `${esc(listOf(names))} compress ${esc(data.train.x.rows)} training digits to d=${LATENT} numbers each; everything below is measured on ${esc(data.test.x.rows)} unseen test digits. Explore it interactively with <code>latentkit view ${esc(flags.out)}</code>.`;
    await writeFileAtomic(join(staged.path, 'report.html'), renderReport(`latentkit demo: MNIST in ${LATENT} dimensions`, intro, sections.filter((s): s is ReportSection => s !== undefined)));
    await staged.commit();
    ctx.progress.stop();
    const aucLine = aucRows.map((r) => `${name(r.reducer)} ${(r.combined ?? r.density).toFixed(3)}${r.combined === undefined ? ' (density)' : ''}`).join(', ');
    ctx.print(
      `${compareTable(compare.rows)}\n\nanomaly AUC, digit ${heldOut} held out (combined score): ${aucLine}\n${warnings.length ? `${warnings.length} warning(s) — see the report's first section\n` : 'self-check: every decoded figure varies and every model beats the baseline at its d\n'}wrote ${join(flags.out, 'report.html')} in ${clock.total().toFixed(1)} s (explore: latentkit view ${flags.out})`,
      { out, models: manifest.models, compare: compare.rows, anomaly: aucRows, ...(prior ? { priorSamples: prior.rows, ...(prior.testElbo !== undefined ? { testElbo: prior.testElbo } : {}) } : {}), ...(restoration ? { restoration: restoration.rows } : {}), ...(compression ? { compression: compression.rows } : {}), warnings, info },
    );
  } catch (e) {
    await staged.abort();
    throw e;
  } finally {
    for (const r of reducers) r.dispose();
  }
}

/**
 * Anomaly detection: refit each reducer that encodes without one digit class; how well does each score find it?
 * The refits train a quarter of the epochs on at most REFIT_ROWS digits (they rank, they are not shown). --quick
 * refits only the QUICK_REFITS reducers whose d=16 fits were fastest (measured, not named).
 */
async function anomalyRows(
  ctx: CommandContext,
  job: { kinds: readonly string[]; compare: readonly CompareRow[]; data: LoadedData; seed: number; heldOut: number; quick: boolean; optionsFor: (kind: string) => Record<string, unknown>; dir: string },
): Promise<{ rows: AnomalyRow[]; skipped: string[] }> {
  const registry = await ctx.registry();
  const { data, seed, heldOut } = job;
  if (!data.train.labels || !data.test.labels) return { rows: [], skipped: [] };
  // --quick refits only the two reducers whose d=16 fits were fastest (measured, not named).
  const slowest = new Set(job.quick ? [...job.compare].sort((a, b) => a.fitSeconds - b.fitSeconds).slice(QUICK_REFITS).map((r) => r.reducer) : []);
  // The split is shuffled, so the first REFIT_ROWS of the digits left are a fair sample of them.
  const trainWithout = subsetDataset(data.train, withoutClass(data.train, heldOut).slice(0, REFIT_ROWS));
  const rows: AnomalyRow[] = [];
  for (const kind of job.kinds) {
    const plugin = registry.get(kind);
    if (slowest.has(kind) || !hasCapability(plugin, 'encode')) continue;
    const fitted = await fitAndSave({
      workers: ctx.workers,
      registry,
      kind,
      latentDim: LATENT,
      // Ranking one unseen digit needs less training than the showcase fits: a quarter of the epochs.
      options: { ...(job.quick ? {} : quickEpochs(plugin)), ...job.optionsFor(kind) },
      data: { ...data, train: trainWithout },
      seed,
      outDir: join(job.dir, 'held-out', kind),
      signal: ctx.signal,
      onProgress: ctx.progress.listener(`fit ${kind} w/o ${heldOut}`),
    });
    const { reducer } = fitted;
    try {
      // The fit's evaluation already encoded both splits (or its layout gave the training codes): reused here.
      const computed = fittedOutputs(fitted);
      const codes = {
        train: computed.trainCodes ?? (await encodeWith(reducer, trainWithout.x)),
        test: computed.testCodes ?? (await encodeWith(reducer, data.test.x)),
      };
      // Only the Gaussian scores the refit (no mixture: its BIC scan over k would be thrown away).
      const gaussian = fitGaussian(codes.train, { covariance: 'full' });
      const scores = await anomalyScores(reducer, gaussian, { train: trainWithout.x, test: data.test.x }, codes, computed.testReconstruction);
      const likelihood = await likelihoodAuc(reducer, data.test, heldOut);
      rows.push({ reducer: kind, ...heldOutAnomaly(scores, data.test.labels, heldOut), ...(likelihood !== undefined ? { likelihood } : {}) });
    } finally {
      reducer.dispose();
    }
  }
  return { rows, skipped: [...slowest] };
}

/** Scatter plots of every model with codes; interpolation strips and sample grids of every model that reconstructs. */
async function latentPictures(analyses: readonly RunModelAnalysis[], data: LoadedData, interpDirs: ReadonlySet<string>) {
  const test: Dataset = data.test;
  const scatter = scatterSvgs(analyses, data).map((s) => inlineSvg(s.svg, s.caption));
  const interp: GridRow[] = [];
  const samples: { dir: string; png: Uint8Array; caption: string }[] = [];
  const decoded: DecodedFigure[] = [];
  const pairs = interpolationPairs(test, INTERP_PAIRS);
  for (const a of analyses) {
    if (!canReconstruct(a.reducer) || !a.densities) continue;
    const name = `${a.displayName}, d=${a.reducer.latentDim}`;
    const rows = await sampleRows(a.reducer, { Gaussian: a.densities.gaussian, mixture: a.densities.gmm }, data.train.x, 12, 0);
    samples.push({ dir: a.dir, png: imageGridPng(rows, { imageShape: [28, 28, 1] }), caption: `${name}: decoded samples from a Gaussian and from a mixture fitted to the training codes, each over its nearest training image` });
    for (const r of rows) if (r.label?.endsWith('samples')) decoded.push({ model: a.dir, figure: `${name}, ${r.label}`, images: r.images });
    // The interpolation model gets every pair; the others one pair, for contrast.
    const use = interpDirs.has(a.dir) ? pairs : pairs.slice(0, 1);
    const strips = await interpolationRows(a.reducer, test.x, use, 10, (i, j) => `${name}: ${label(test, i)} to ${label(test, j)}`);
    interp.push(...strips);
    for (const r of strips) decoded.push({ model: a.dir, figure: `interpolation ${r.label ?? ""}`, images: r.images });
  }
  return { scatter, samples, decoded, interpolationPng: interp.length ? imageGridPng(interp, { imageShape: [28, 28, 1] }) : undefined };
}

/** The baseline's test MSE at d: a quick extra fit, so a refit at another d is judged against its own baseline. */
async function baselineRow(registry: ReducerRegistry, kind: string, d: number, data: LoadedData, seed: number): Promise<MseRow> {
  const { model } = await registry.fit(kind, data.train, await registry.settings(kind, d, {}), { seed });
  try {
    return { reducer: kind, latentDim: d, testMse: mse(data.test.x, await reconstruct(model, data.test.x)) };
  } finally {
    model.dispose();
  }
}

/** The report's first section: what the demo checked in its own output, and anything that failed. */
function checksSection(warnings: readonly DemoWarning[], baselineName: string | undefined, name: (kind: string) => string): ReportSection {
  const checked = `every decoded figure (samples and interpolations) is checked for blank, flat or identical images${baselineName ? `, and every model's test MSE against ${esc(baselineName)}'s at the same d` : ''}`;
  if (!warnings.length) return { id: 'checks', heading: 'Self-check: passed', body: `<p>The demo looked at its own output: ${checked}. Nothing failed.</p>` };
  const items = warnings.map((w) => `<li><strong>${esc(name(w.model))}</strong>: ${esc(w.message)}</li>`).join('');
  return { id: 'checks', heading: `Self-check: ${warnings.length} warning${warnings.length > 1 ? 's' : ''}`, body: `<p class="warning">The demo looked at its own output (${checked}) and found:</p><ul class="warning">${items}</ul>` };
}

/** The spectrum's curve, with every other reducer that reconstructs placed at its d. */
function varianceChart(spectrum: VarianceSpectrum, rows: readonly CompareRow[], spectrumName: string, name: (kind: string) => string): string {
  return explainedVarianceSvg({
    ratios: spectrum.ratios,
    markers: rows.filter((r) => r.varianceExplained !== undefined && r.reducer !== spectrum.kind).map((r) => ({ label: name(r.reducer), latentDim: r.latentDim, varianceExplained: r.varianceExplained! })),
    title: `Variance explained: ${spectrumName} curve, other reducers at their d`,
  });
}

function label(d: Dataset, i: number): string {
  const l = d.labels?.[i];
  return l === undefined ? `#${i}` : (d.labelNames?.[l] ?? String(l));
}

function listOf(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** Each reconstructing reducer's test MSE relative to the spectrum's reducer (the linear baseline), when it ran. */
function ratioSentence(rows: readonly CompareRow[], baselineKind: string | undefined, name: (kind: string) => string): string {
  const baseline = rows.find((r) => r.reducer === baselineKind && r.testMse !== undefined);
  if (!baseline) return '';
  const parts = rows.filter((r) => r !== baseline && r.testMse !== undefined).map((r) => `${esc(name(r.reducer))} reaches ${(r.testMse! / baseline.testMse!).toFixed(2)}× ${esc(name(baseline.reducer))}'s test MSE`);
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
