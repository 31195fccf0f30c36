import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  canReconstruct,
  type FitOutcome,
  hasCapability,
  LatentkitError,
  type ReducerPlugin,
  type ReducerSettings,
  type Reducer,
  type RowBatchSource,
  type StreamFitOptions,
  type StreamFitOutcome,
  unsupported,
  withMetrics,
} from '@latentkit/core';
import { stageDir, writeBundleFiles, writeFileAtomic } from '@latentkit/node-fs';
import type { FitMetrics, ReconstructionStatus } from '../format.js';
import { fitCheckpoints } from './fit-checkpoints.js';
import { checkpointDirOf, readCheckpoint, type FitJob } from './pipeline.js';
import { reconstructionBySplit, type SplitReconstruction } from './stream-evaluate.js';
import { labelsOfSource, splitRowSources, testRowMask } from './stream-split.js';

/** A stream fit's options and outcome: core's (ReducerPlugin.fitStream), re-exported under their old names here. */
export type { StreamFitOptions, StreamFitOutcome };

/** A plugin's fit from row batches (its memory independent of the row count): ReducerPlugin.fitStream, bound. */
export type StreamFitter = (source: RowBatchSource, settings: ReducerSettings, options?: StreamFitOptions) => Promise<StreamFitOutcome>;

/**
 * The plugin's stream fit, bound to it, when it declares the capability "fit-stream" (core requires fitStream
 * then), else undefined: the plugin can only fit rows in memory. Decided by capability, never by kind.
 */
export function streamFitterOf(plugin: ReducerPlugin): StreamFitter | undefined {
  return hasCapability(plugin, 'fit-stream') && typeof plugin.fitStream === 'function' ? plugin.fitStream.bind(plugin) : undefined;
}

export interface StreamFitJob extends Omit<FitJob, 'data'> {
  /** The data spec recorded in the model ("npy:/data/big.npy"). */
  readonly spec: string;
  /** Opens the rows; called only once the settings and the output folder are checked. */
  readonly source: () => Promise<RowBatchSource>;
  /** Test rows: a count or a fraction (default 0.2, as the in-memory file loaders split). */
  readonly test?: number;
}

export interface StreamFitResult {
  readonly metrics: FitMetrics;
  /** The fitted model; the caller disposes it. */
  readonly reducer: Reducer;
  readonly settings: ReducerSettings;
}

/**
 * fitAndSave without the data in memory: the plugin fits from the training rows as a stream (one pass or a
 * few, by its own plan) and is handed the held-out rows as a second stream; train and test reconstruction MSE
 * are the ones it reports (PCA: from statistics), else one more read reconstructs every row batch by batch.
 * The bundle plus metrics.json are written into a staged folder that replaces `outDir` only once complete.
 * The held-out rows are those the in-memory loaders hold out with the same seed (splitMembership; a source with
 * a label column is read once more first, for its labels, so the split is stratified as theirs is).
 * Settings, the plugin's ability and the output folder are checked before the source is opened. Checkpoints
 * as fitAndSave's: every epoch to `<outDir>.checkpoint` (for plugins whose stream fit checkpoints), kept after
 * Ctrl-C or a divergence, continued with `resume`.
 */
export async function fitStreamAndSave(job: StreamFitJob): Promise<StreamFitResult> {
  const plugin = job.registry.get(job.kind);
  if (!streamFitterOf(plugin)) throw new LatentkitError('E_UNSUPPORTED', `reducer "${job.kind}" cannot fit from streamed rows (it does not declare "fit-stream"); load the data in memory instead`);
  const settings = await job.registry.settings(job.kind, job.latentDim, job.options);
  const protect = job.protect ? { protect: job.protect } : {};
  const checkpointDir = checkpointDirOf(job.outDir);
  const resumeFrom = job.resume ? await readCheckpoint(checkpointDir, job.kind) : undefined;
  const staged = await stageDir(job.outDir, { force: job.force || job.resume, ...protect });
  let model: Reducer | undefined;
  const checkpoints = fitCheckpoints(checkpointDir, plugin, protect);
  try {
    const source = await job.source();
    if (plugin.requiresImages && !source.imageShape) throw new LatentkitError('E_SHAPE', `reducer "${job.kind}" needs image data, but ${job.spec} has no image shape`);
    if (job.latentDim >= source.cols) throw new LatentkitError('E_OPTION', `latent dimension ${job.latentDim} must be smaller than the input dimension ${source.cols}`);
    if (source.rows === undefined) throw new LatentkitError('E_INPUT_FORMAT', `${source.name}: its row count is unknown before reading, which a streamed train/test split needs`);
    const labels = await labelsOfSource(source, source.rows, job.signal);
    const mask = testRowMask(source.rows, job.test ?? 0.2, job.seed, source.name, labels);
    // Train and test rows share one read where the plugin sums both at once (PCA's statistics).
    const split = splitRowSources(source, mask);
    const outcome = await job.registry.fitStream(job.kind, split.train, settings, {
      heldOut: split.test,
      seed: job.seed,
      ...(job.workers !== undefined ? { workers: job.workers } : {}),
      ...(job.signal ? { signal: job.signal } : {}),
      ...(job.onProgress ? { onProgress: job.onProgress } : {}),
      ...(resumeFrom ? { resumeFrom } : {}),
      onCheckpoint: checkpoints.onCheckpoint,
    }).catch((e: unknown) => {
      throw checkpoints.failure(e);
    });
    model = outcome.model;
    job.onProgress?.({ phase: 'evaluate', fraction: 0 });
    const evaluation = canReconstruct(model) ? (reported(outcome) ?? (await reconstructionBySplit(model, source, mask, job))) : undefined;
    const testCount = mask.reduce((a, b) => a + b, 0);
    const metrics = streamMetrics(job, plugin, model, outcome, settings, evaluation, source.rows - testCount, testCount);
    const inputShape = source.imageShape ? [...source.imageShape] : [source.cols];
    const bundle = withMetrics(await job.registry.save(model), {
      data: job.spec,
      ...(evaluation ? { trainMse: evaluation.train.mse, testMse: evaluation.test.mse } : {}),
      fitSeconds: outcome.result.seconds,
      inputShape,
    });
    await writeBundleFiles(staged.path, bundle);
    await writeFileAtomic(join(staged.path, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
    await staged.commit();
    await rm(checkpointDir, { recursive: true, force: true });
    return { metrics, reducer: model, settings };
  } catch (e) {
    await staged.abort();
    model?.dispose();
    throw e;
  }
}

/** The plugin's own train and test MSE, when it reported both. */
function reported(outcome: StreamFitOutcome): SplitReconstruction | undefined {
  const r = outcome.reconstruction;
  const ok = (m: { n: number; mse: number } | undefined) => m !== undefined && Number.isInteger(m.n) && Number.isFinite(m.mse) && m.mse >= 0;
  return r && ok(r.train) && ok(r.test) ? { train: r.train, test: r.test! } : undefined;
}

function streamMetrics(
  job: StreamFitJob,
  plugin: ReducerPlugin,
  model: Reducer,
  outcome: FitOutcome,
  settings: ReducerSettings,
  evaluation: SplitReconstruction | undefined,
  trainRows: number,
  testRows: number,
): FitMetrics {
  const ratio = outcome.result.info?.explainedVarianceRatio;
  const reconstruction: ReconstructionStatus = evaluation
    ? { available: true }
    : { available: false, reason: unsupported(model.kind, hasCapability(model, 'encode') ? 'decode' : 'encode').message };
  return {
    reducer: job.kind,
    latentDim: model.latentDim,
    data: job.spec,
    seed: job.seed,
    capabilities: [...model.capabilities],
    ...(plugin.package ? { plugin: { name: plugin.package.name, version: plugin.package.version } } : {}),
    reconstruction,
    train: { n: trainRows, ...(evaluation ? { mse: evaluation.train.mse } : {}) },
    test: { n: testRows, ...(evaluation ? { mse: evaluation.test.mse } : {}) },
    fitSeconds: outcome.result.seconds,
    parameters: model.parameterCount,
    ...(Array.isArray(ratio) ? { explainedVarianceRatio: ratio as number[] } : {}),
    ...(outcome.result.history ? { history: outcome.result.history } : {}),
    options: settings.options as Record<string, unknown>,
  };
}
