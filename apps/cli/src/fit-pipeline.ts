import { join } from 'node:path';
import {
  LatentkitError,
  isLatentkitError,
  inputShapeOf,
  mse,
  withMetrics,
  type Dataset,
  type FitResult,
  type ProgressListener,
  type Reducer,
  type ReducerRegistry,
} from '@latentkit/core';
import { readBundleDir, stageDir, writeBundleDir, writeBundleFiles, writeFileAtomic } from '@latentkit/node-fs';
import { rm, access } from 'node:fs/promises';

export interface FitJob {
  readonly registry: ReducerRegistry;
  readonly kind: string;
  readonly latentDim: number;
  readonly options: Record<string, unknown>;
  readonly data: { readonly spec: string; readonly train: Dataset; readonly test: Dataset };
  readonly seed: number;
  readonly outDir: string;
  readonly force?: boolean;
  /** Continue from the checkpoint an interrupted or diverged fit left next to outDir. */
  readonly resume?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: ProgressListener;
}

/** What `fit` writes as DIR/metrics.json (and merges into the bundle manifest). */
export interface FitMetrics {
  readonly reducer: string;
  readonly latentDim: number;
  readonly data: string;
  readonly seed: number;
  readonly train: { readonly n: number; readonly mse: number };
  readonly test: { readonly n: number; readonly mse: number };
  readonly fitSeconds: number;
  readonly parameters: number;
  readonly explainedVarianceRatio?: readonly number[];
  readonly history?: FitResult['history'];
  readonly options: Record<string, unknown>;
}

/** Reconstruction x̂ = g(f(x)) for a whole matrix; reducers batch internally. */
export async function reconstruct(reducer: Reducer, x: Dataset['x']): Promise<Dataset['x']> {
  return reducer.decode(await reducer.encode(x));
}

/** Where a fit keeps its last good epoch while it runs: next to the output folder, removed on success. */
export function checkpointDirOf(outDir: string): string {
  return `${outDir}.checkpoint`;
}

const exists = (p: string) => access(p).then(() => true, () => false);

/**
 * Fits one reducer on the training split, measures train and test MSE, and writes the bundle plus
 * metrics.json into a staged folder that replaces `outDir` only once complete. Iterative reducers
 * checkpoint every epoch to `<outDir>.checkpoint`; after Ctrl-C or a diverged loss that checkpoint stays
 * and `resume` continues from it.
 */
export async function fitAndSave(job: FitJob): Promise<{ metrics: FitMetrics; reducer: Reducer; testReconstruction: Dataset['x'] }> {
  const plugin = job.registry.get(job.kind);
  if (plugin.requiresImages && !job.data.train.imageShape) {
    throw new LatentkitError('E_SHAPE', `reducer "${job.kind}" needs image data, but ${job.data.spec} has no image shape`);
  }
  if (job.latentDim >= job.data.train.x.cols) {
    throw new LatentkitError('E_OPTION', `latent dimension ${job.latentDim} must be smaller than the input dimension ${job.data.train.x.cols}`);
  }
  const checkpointDir = checkpointDirOf(job.outDir);
  let resumeFrom;
  if (job.resume) {
    if (!(await exists(checkpointDir))) throw new LatentkitError('E_IO', `nothing to resume: no checkpoint at ${checkpointDir}`);
    resumeFrom = await readBundleDir(checkpointDir);
    if (resumeFrom.manifest.kind !== job.kind) throw new LatentkitError('E_BUNDLE_CORRUPT', `the checkpoint at ${checkpointDir} is a ${resumeFrom.manifest.kind} model, not ${job.kind}`);
  }
  const staged = await stageDir(job.outDir, { force: job.force || job.resume });
  const reducer = job.registry.create(job.kind, { ...job.options, latentDim: job.latentDim });
  let checkpointEpoch = 0;
  try {
    const result = await reducer.fit(job.data.train, {
      seed: job.seed,
      signal: job.signal,
      onProgress: job.onProgress,
      ...(resumeFrom ? { resumeFrom } : {}),
      onCheckpoint: async (bundle, epoch) => {
        await writeBundleDir(checkpointDir, bundle, { force: true });
        checkpointEpoch = epoch;
      },
    }).catch((e: unknown) => {
      // Say where the last good state is, so the user can continue instead of starting over.
      if (checkpointEpoch > 0 && isLatentkitError(e) && (e.code === 'E_ABORTED' || e.code === 'E_DIVERGED')) {
        throw new LatentkitError(e.code, `${e.message}; the last good checkpoint (epoch ${checkpointEpoch}) is in ${checkpointDir}: continue with --resume`, { cause: e });
      }
      throw e;
    });
    job.onProgress?.({ phase: 'evaluate', fraction: 1 });
    const trainMse = mse(job.data.train.x, await reconstruct(reducer, job.data.train.x));
    const testReconstruction = await reconstruct(reducer, job.data.test.x);
    const testMse = mse(job.data.test.x, testReconstruction);
    const ratio = result.info?.explainedVarianceRatio;
    const metrics: FitMetrics = {
      reducer: job.kind,
      latentDim: reducer.latentDim,
      data: job.data.spec,
      seed: job.seed,
      train: { n: job.data.train.x.rows, mse: trainMse },
      test: { n: job.data.test.x.rows, mse: testMse },
      fitSeconds: result.seconds,
      parameters: reducer.parameterCount,
      ...(Array.isArray(ratio) ? { explainedVarianceRatio: ratio as number[] } : {}),
      ...(result.history ? { history: result.history } : {}),
      options: job.options,
    };
    const bundle = withMetrics(await reducer.save(), { data: job.data.spec, trainMse, testMse, fitSeconds: result.seconds, inputShape: inputShapeOf(job.data.train) });
    await writeBundleFiles(staged.path, bundle);
    await writeFileAtomic(join(staged.path, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
    await staged.commit();
    await rm(checkpointDir, { recursive: true, force: true });
    return { metrics, reducer, testReconstruction };
  } catch (e) {
    await staged.abort();
    reducer.dispose();
    throw e;
  }
}
