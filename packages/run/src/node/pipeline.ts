import { access, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  LatentkitError,
  canReconstruct,
  decodeWith,
  encodeWith,
  hasCapability,
  inputShapeOf,
  mse,
  unsupported,
  withMetrics,
  type Dataset,
  type FitResult,
  type Matrix,
  type ModelBundle,
  type ProgressListener,
  type Reducer,
  type ReducerRegistry,
  type ReducerSettings,
} from '@latentkit/core';
import { readBundleDir, stageDir, writeBundleFiles, writeFileAtomic } from '@latentkit/node-fs';
import type { FitMetrics, ReconstructionStatus } from '../format.js';
import { fitCheckpoints } from './fit-checkpoints.js';

/** A train/test split and the spec it was loaded from ("mnist", "csv:x.csv"). */
export interface FitData {
  readonly spec: string;
  readonly train: Dataset;
  readonly test: Dataset;
}

export interface FitJob {
  readonly registry: ReducerRegistry;
  readonly kind: string;
  readonly latentDim: number;
  /** The reducer's options as given (e.g. from --opt); validated by the plugin's schema before any work. */
  readonly options: Readonly<Record<string, unknown>>;
  /** The data, or how to load it: a loader runs only once the settings are valid. */
  readonly data: FitData | (() => Promise<FitData>);
  readonly seed: number;
  readonly outDir: string;
  readonly force?: boolean;
  /**
   * The input data's files (e.g. from @latentkit/data's dataSourceFiles): neither the output folder nor the
   * checkpoint folder is ever replaced while it holds one of them, with or without `force`.
   */
  readonly protect?: readonly string[];
  /** Continue from the checkpoint an interrupted or diverged fit left next to outDir. */
  readonly resume?: boolean;
  readonly signal?: AbortSignal;
  /** Data-parallel worker threads the reducer may train on (FitOptions.workers). */
  readonly workers?: number;
  readonly onProgress?: ProgressListener;
}

export interface FitAndSaveResult {
  readonly metrics: FitMetrics;
  /** The fitted model; the caller disposes it. */
  readonly reducer: Reducer;
  readonly settings: ReducerSettings;
  readonly data: FitData;
  /** g(f(test)), when the model reconstructs. */
  readonly testReconstruction?: Matrix;
  /** Codes of the training rows, when the plugin's fit returned them. */
  readonly embedding?: Matrix;
  /** f(train) and f(test) as the evaluation computed them (models that reconstruct): callers reuse them, not re-encode. */
  readonly codes?: { readonly train: Matrix; readonly test: Matrix };
}

/** Where a fit keeps its last good epoch while it runs: next to the output folder, removed on success. */
export function checkpointDirOf(outDir: string): string {
  return `${outDir}.checkpoint`;
}

const exists = (p: string) => access(p).then(() => true, () => false);

/**
 * Fits one reducer on the training split, evaluates what its capabilities allow (train and test
 * reconstruction MSE only for models that encode and decode), and writes the bundle plus metrics.json into
 * a staged folder that replaces `outDir` only once complete. Settings and the output folder are checked
 * before the data is read or anything is fitted; a failure at any later point leaves no staging folder.
 * Iterative reducers checkpoint every epoch to `<outDir>.checkpoint`; after Ctrl-C or a diverged loss that
 * checkpoint stays and `resume` continues from it.
 */
export async function fitAndSave(job: FitJob): Promise<FitAndSaveResult> {
  const plugin = job.registry.get(job.kind);
  const settings = await job.registry.settings(job.kind, job.latentDim, job.options);
  const protect = job.protect ? { protect: job.protect } : {};
  const checkpointDir = checkpointDirOf(job.outDir);
  const resumeFrom = job.resume ? await readCheckpoint(checkpointDir, job.kind) : undefined;
  // The output folder is checked (and staged) before the data is read: a refused --out costs nothing.
  const staged = await stageDir(job.outDir, { force: job.force || job.resume, ...protect });
  let model: Reducer | undefined;
  try {
    const data = typeof job.data === 'function' ? await job.data() : job.data;
    if (plugin.requiresImages && !data.train.imageShape) {
      throw new LatentkitError('E_SHAPE', `reducer "${job.kind}" needs image data, but ${data.spec} has no image shape`);
    }
    if (job.latentDim >= data.train.x.cols) {
      throw new LatentkitError('E_OPTION', `latent dimension ${job.latentDim} must be smaller than the input dimension ${data.train.x.cols}`);
    }
    const checkpoints = fitCheckpoints(checkpointDir, plugin, protect);
    const outcome = await job.registry
      .fit(job.kind, data.train, settings, {
        seed: job.seed,
        ...(job.workers !== undefined ? { workers: job.workers } : {}),
        ...(job.signal ? { signal: job.signal } : {}),
        ...(job.onProgress ? { onProgress: job.onProgress } : {}),
        ...(resumeFrom ? { resumeFrom } : {}),
        onCheckpoint: checkpoints.onCheckpoint,
      })
      .catch((e: unknown) => {
        throw checkpoints.failure(e);
      });
    model = outcome.model;
    job.onProgress?.({ phase: 'evaluate', fraction: 1 });
    const evaluation = await evaluate(model, data);
    const metrics = fitMetrics(job, data, model, outcome.result, evaluation, settings);
    const bundle = withMetrics(await job.registry.save(model), {
      data: data.spec,
      ...(evaluation.trainMse !== undefined ? { trainMse: evaluation.trainMse, testMse: evaluation.testMse } : {}),
      fitSeconds: outcome.result.seconds,
      inputShape: inputShapeOf(data.train),
    });
    await writeBundleFiles(staged.path, bundle);
    await writeFileAtomic(join(staged.path, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
    await staged.commit();
    await rm(checkpointDir, { recursive: true, force: true });
    return {
      metrics,
      reducer: model,
      settings,
      data,
      ...(evaluation.testReconstruction ? { testReconstruction: evaluation.testReconstruction } : {}),
      ...(outcome.embedding ? { embedding: outcome.embedding } : {}),
      ...(evaluation.codes ? { codes: evaluation.codes } : {}),
    };
  } catch (e) {
    await staged.abort();
    model?.dispose();
    throw e;
  }
}

/** The checkpoint `resume` continues from: refused in one line when there is none, or it is of another kind. */
export async function readCheckpoint(dir: string, kind: string): Promise<ModelBundle> {
  if (!(await exists(dir))) throw new LatentkitError('E_IO', `nothing to resume: no checkpoint at ${dir}`);
  const bundle = await readBundleDir(dir);
  if (bundle.manifest.kind !== kind) throw new LatentkitError('E_BUNDLE_CORRUPT', `the checkpoint at ${dir} is a ${bundle.manifest.kind} model, not ${kind}`);
  return bundle;
}

interface Evaluation {
  readonly status: ReconstructionStatus;
  readonly trainMse?: number;
  readonly testMse?: number;
  readonly testReconstruction?: Matrix;
  readonly codes?: { readonly train: Matrix; readonly test: Matrix };
}

/** Reconstruction MSE on both splits for models that encode and decode; otherwise says why there is none. */
async function evaluate(model: Reducer, data: FitData): Promise<Evaluation> {
  if (!canReconstruct(model)) {
    const missing = hasCapability(model, 'encode') ? 'decode' : 'encode';
    return { status: { available: false, reason: unsupported(model.kind, missing).message } };
  }
  // g(f(x)) in two calls, keeping f(x): the run writer and the demo need the codes too.
  const codes = { train: await encodeWith(model, data.train.x), test: await encodeWith(model, data.test.x) };
  const trainMse = mse(data.train.x, await decodeWith(model, codes.train));
  const testReconstruction = await decodeWith(model, codes.test);
  return { status: { available: true }, trainMse, testMse: mse(data.test.x, testReconstruction), testReconstruction, codes };
}

function fitMetrics(job: FitJob, data: FitData, model: Reducer, result: FitResult, evaluation: Evaluation, settings: ReducerSettings): FitMetrics {
  const ratio = result.info?.explainedVarianceRatio;
  const pkg = job.registry.get(job.kind).package;
  const info = scalarInfo(result.info);
  return {
    reducer: job.kind,
    latentDim: model.latentDim,
    data: data.spec,
    seed: job.seed,
    capabilities: [...model.capabilities],
    ...(pkg ? { plugin: { name: pkg.name, version: pkg.version } } : {}),
    reconstruction: evaluation.status,
    train: { n: data.train.x.rows, ...(evaluation.trainMse !== undefined ? { mse: evaluation.trainMse } : {}) },
    test: { n: data.test.x.rows, ...(evaluation.testMse !== undefined ? { mse: evaluation.testMse } : {}) },
    fitSeconds: result.seconds,
    parameters: model.parameterCount,
    ...(Array.isArray(ratio) ? { explainedVarianceRatio: ratio as number[] } : {}),
    ...(result.history ? { history: result.history } : {}),
    options: settings.options as Record<string, unknown>,
    ...(info ? { fitInfo: info } : {}),
  };
}

/** The scalar fields of a fit's info (arrays such as explained-variance ratios are stored on their own). */
function scalarInfo(info: FitResult['info']): Record<string, number | string | boolean> | undefined {
  const out: Record<string, number | string | boolean> = {};
  for (const [k, v] of Object.entries(info ?? {})) if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') out[k] = v;
  return Object.keys(out).length ? out : undefined;
}
