import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { LatentkitError, canReconstruct, encodeWith, reconstruct, selectRows, varianceExplained } from '@latentkit/core';
import { interpolate, scoreDataset } from '@latentkit/latent';
import { writeFileAtomic } from '@latentkit/node-fs';
import { fitLatentDensities } from '@latentkit/run/node';
import { explainedVarianceSvg, imageGridPng, latentScatterSvg, lossCurvesSvg, project2d } from '@latentkit/viz';
import { checkDataFlags, displayName, modelAndData, type CommandContext, type DataFlags, type LoadedData } from '../context.js';
import { checkOutputFile, parseIntFlag } from '../flags.js';
import { assertFolder, METRICS_FILE, readRunFacts } from '../run-facts.js';
import { sampleRows } from '../analysis.js';
import { varianceSpectrum } from '../spectrum.js';

const exists = (p: string) => access(p).then(() => true, () => false);

function imageShapeOf(data: LoadedData): [number, number, number] {
  if (!data.test.imageShape) throw new LatentkitError('E_SHAPE', `${data.spec} is not image data; this command draws images`);
  return [...data.test.imageShape] as [number, number, number];
}

export async function runInterpolate(ctx: CommandContext, dir: string, flags: DataFlags & { from: string; to: string; steps: string; png: string; slerp?: boolean }): Promise<void> {
  // Flags first; the test-set size bounds --from and --to once the data is there.
  const steps = parseIntFlag('--steps', flags.steps, 2, 100);
  parseIntFlag('--from', flags.from, 0);
  parseIntFlag('--to', flags.to, 0);
  await checkOutputFile('--png', flags.png, ctx.cwd);
  const { reducer, data } = await modelAndData(ctx, dir, flags, { capabilities: ['encode', 'decode'], for: 'interpolate' });
  try {
    const n = data.test.x.rows;
    const i = parseIntFlag('--from', flags.from, 0, n - 1);
    const j = parseIntFlag('--to', flags.to, 0, n - 1);
    const r = await interpolate(reducer, selectRows(data.test.x, [i]), selectRows(data.test.x, [j]), steps, { method: flags.slerp ? 'slerp' : 'linear' });
    const name = `${displayName(await ctx.registry(), reducer.kind)}, d=${reducer.latentDim}`;
    const png = imageGridPng(
      [
        { label: 'x, x′', images: selectRows(data.test.x, [i, j]) },
        { label: `ξ(x,x′,α) (${name})`, images: r.images },
      ],
      { imageShape: imageShapeOf(data) },
    );
    await writeFileAtomic(resolve(ctx.cwd, flags.png), png);
    ctx.print(`wrote ${flags.png}: ${steps} steps from test #${i} to #${j}`, { png: resolve(ctx.cwd, flags.png), from: i, to: j, alphas: r.alphas });
  } finally {
    reducer.dispose();
  }
}

export async function runSample(ctx: CommandContext, dir: string, flags: DataFlags & { n: string; density: string; png: string }): Promise<void> {
  if (flags.density !== 'gaussian' && flags.density !== 'gmm') throw new LatentkitError('E_OPTION', `--density expects gaussian or gmm, got "${flags.density}"`);
  const n = parseIntFlag('--n', flags.n, 1, 256);
  await checkOutputFile('--png', flags.png, ctx.cwd);
  const { reducer, data, seed } = await modelAndData(ctx, dir, flags, { capabilities: ['encode', 'decode'], for: 'sample' });
  try {
    ctx.progress.note('fitting the latent density to the training codes …');
    const densities = await fitLatentDensities(await encodeWith(reducer, data.train.x), seed, ctx.signal);
    const density = flags.density === 'gaussian' ? densities.gaussian : densities.gmm;
    const rows = await sampleRows(reducer, { [flags.density === 'gaussian' ? 'Gaussian' : 'mixture']: density }, data.train.x, n, seed);
    await writeFileAtomic(resolve(ctx.cwd, flags.png), imageGridPng(rows, { imageShape: imageShapeOf(data) }));
    ctx.print(`wrote ${flags.png}: ${n} samples from a ${flags.density} latent density over their nearest training images`, { png: resolve(ctx.cwd, flags.png), n, density: density.toJSON() });
  } finally {
    reducer.dispose();
  }
}

/** Test-set anomaly scores: latent −log density and combined always; reconstruction error for models that decode. */
export async function runScore(ctx: CommandContext, dir: string, flags: DataFlags & { out: string }): Promise<void> {
  await checkOutputFile('--out', flags.out, ctx.cwd);
  const { reducer, data, seed } = await modelAndData(ctx, dir, flags, { capabilities: ['encode'], for: 'score' });
  try {
    ctx.progress.note('fitting the latent density and scoring the test set …');
    const { gaussian } = await fitLatentDensities(await encodeWith(reducer, data.train.x), seed, ctx.signal);
    // Reconstruction error only where the model decodes; combined adds the standardised scores it has.
    const s = await scoreDataset(reducer, gaussian, data.test, { reference: data.train, signal: ctx.signal });
    const columns: Record<string, ArrayLike<number>> = { ...(s.reconstruction ? { reconstruction: s.reconstruction } : {}), density: s.density, combined: s.combined };
    const names = Object.keys(columns);
    const lines = [['index', 'label', ...names].join(',')];
    for (let i = 0; i < data.test.x.rows; i++) lines.push([i, data.test.labels ? data.test.labels[i] : '', ...names.map((c) => columns[c]![i])].join(','));
    await writeFileAtomic(resolve(ctx.cwd, flags.out), lines.join('\n') + '\n');
    ctx.print(`wrote ${flags.out}: ${names.join(', ')} scores for ${data.test.x.rows} test samples`, { out: resolve(ctx.cwd, flags.out), n: data.test.x.rows, scores: names });
  } finally {
    reducer.dispose();
  }
}

const PLOTS = ['latent', 'variance', 'loss'];

export async function runPlot(ctx: CommandContext, dir: string, flags: DataFlags & { what: string; svg: string }): Promise<void> {
  if (!PLOTS.includes(flags.what)) throw new LatentkitError('E_OPTION', `--what expects latent, variance or loss, got "${flags.what}"`);
  checkDataFlags(flags);
  await checkOutputFile('--svg', flags.svg, ctx.cwd);
  await assertFolder(dir);
  let svg: string;
  if (flags.what === 'loss') {
    if (!(await exists(join(dir, METRICS_FILE)))) throw new LatentkitError('E_INPUT_FORMAT', `${dir} has no ${METRICS_FILE} (not a model folder written by latentkit fit)`);
    const metrics = await readRunFacts(dir);
    if (!metrics.history?.length) throw new LatentkitError('E_INPUT_FORMAT', `${join(dir, METRICS_FILE)} has no training history (its reducer does not train in epochs)`);
    svg = lossCurvesSvg({ series: [{ label: `${metrics.reducer} d=${metrics.latentDim}`, points: metrics.history }], title: 'Training loss' });
  } else {
    const { reducer, data, seed } = await modelAndData(ctx, dir, flags, flags.what === 'latent' ? { capabilities: ['encode'], for: 'plot --what latent' } : undefined);
    try {
      if (flags.what === 'latent') {
        const proj = project2d(await encodeWith(reducer, data.test.x));
        svg = latentScatterSvg({ points: proj.points, ...(data.test.labels ? { labels: data.test.labels } : {}), ...(data.test.labelNames ? { labelNames: data.test.labelNames } : {}), title: `Latent space: ${reducer.kind}, d=${reducer.latentDim}` });
      } else {
        const registry = await ctx.registry();
        ctx.progress.note('fitting the variance spectrum …');
        const spectrum = await varianceSpectrum(registry, data, seed, ctx.signal);
        if (!spectrum) throw new LatentkitError('E_UNSUPPORTED', 'no loaded reducer reports a variance spectrum (one that declares fractionalLatentDim and returns explainedVarianceRatio)');
        // The model is a marker on the curve when it reconstructs and is not the curve's own reducer.
        const marker = canReconstruct(reducer) && reducer.kind !== spectrum.kind;
        const markers = marker ? [{ label: displayName(registry, reducer.kind), latentDim: reducer.latentDim, varianceExplained: varianceExplained(data.test.x, await reconstruct(reducer, data.test.x)) }] : [];
        svg = explainedVarianceSvg({ ratios: spectrum.ratios, markers, title: 'Explained variance' });
      }
    } finally {
      reducer.dispose();
    }
  }
  await writeFileAtomic(resolve(ctx.cwd, flags.svg), svg);
  ctx.print(`wrote ${flags.svg}`, { svg: resolve(ctx.cwd, flags.svg) });
}
