/// <reference lib="webworker" />
// Trains a reducer off the main thread on the wasm backend, so the page stays responsive; a 'cancel'
// message aborts the fit through its AbortSignal. Every reducer — built-in or a third-party plugin — is
// fitted the same way: options validated by its schema, then `registry.fit`.
import { browserReplicaPoolOpener, registerReplicaPoolOpener } from '@latentkit/ae-core';
import { canReconstruct, isLatentkitError, LatentkitError, mse, reconstruct, sliceRows, type Dataset } from '@latentkit/core';
import { buildViewerRegistry, type ViewerRegistry } from './plugin-modules.js';
import type { ReplicaExtra } from './replica-worker.js';
import { prepareWasmBackend } from './tf-backend.js';
import type { FromWorker, ToWorker, TrainRequest } from './train-protocol.js';
import { importWithMap } from './worker-import.js';

const scope = self as unknown as DedicatedWorkerGlobalScope;
let registry: Promise<ViewerRegistry> | undefined;
let controller: AbortController | undefined;

function post(message: FromWorker): void {
  scope.postMessage(message);
}

/** The worker's registry, built on the first request (the page's plugin list does not change). */
function registryFor(job: TrainRequest): Promise<ViewerRegistry> {
  registry ??= buildViewerRegistry(job.plugins, (url) => importWithMap(url, job.importMap));
  return registry;
}

/** A replica: a nested module worker (Chromium and Firefox start dedicated workers from workers). */
function startReplica(): Worker {
  return new Worker(new URL('./replica-worker.js', import.meta.url), { type: 'module' });
}

/**
 * Lets this job's fit train on replica workers, counting the threads really started: 1 until a pool opens
 * (reducers that cannot use replicas never open one). ae-core says in a 'workers' progress line when the
 * replicas cannot start and the fit goes on in this thread.
 */
function useReplicas(job: TrainRequest, started: (threads: number) => void): void {
  const extra: ReplicaExtra = { plugins: job.plugins, importMap: job.importMap };
  const open = browserReplicaPoolOpener(startReplica, extra);
  registerReplicaPoolOpener(async (replicas, init) => {
    post({ type: 'progress', phase: `starting ${replicas + 1} training threads`, threads: 1 });
    const pool = await open(replicas, init);
    started(replicas + 1);
    return pool;
  });
}

async function train(job: TrainRequest): Promise<void> {
  controller?.abort();
  const current = (controller = new AbortController());
  const x = Float32Array.from(job.pixels, (p) => p / 255);
  const data: Dataset = { name: 'run points (train split)', x: { data: x, rows: job.rows, cols: job.cols }, imageShape: job.imageShape };
  let lastPost = 0;
  let threads = 1;
  useReplicas(job, (n) => (threads = n));
  try {
    const { registry: reg, problems } = await registryFor(job);
    // A plugin the page has but the worker could not load: say why, not just "unknown reducer".
    if (!reg.has(job.kind) && problems.length) throw new LatentkitError('E_PLUGIN', problems.join('; '));
    // Options are checked before any work: a bad value is one line naming the reducer and the option.
    const settings = await reg.settings(job.kind, job.latentDim, job.options);
    await prepareWasmBackend();
    const { model, result } = await reg.fit(job.kind, data, settings, {
      seed: job.seed,
      workers: job.workers,
      signal: current.signal,
      onProgress(e) {
        if (e.phase === 'workers') {
          post({ type: 'progress', phase: 'training', threads, fallback: e.message ?? `training on 1 thread instead of ${job.workers}` });
          return;
        }
        // Enough to move a progress bar smoothly without flooding the page with messages.
        const now = performance.now();
        if (now - lastPost < 50 && e.fraction !== 1) return;
        lastPost = now;
        post({ type: 'progress', phase: e.phase, fraction: e.fraction, epoch: e.epoch, epochs: e.epochs, loss: e.loss, threads });
      },
    });
    try {
      const history = (result.history ?? []).map((h) => ({ epoch: h.epoch, loss: h.loss }));
      if (!canReconstruct(model)) {
        post({ type: 'done', seconds: result.seconds, threads, history });
        return;
      }
      const probe = sliceRows(data.x, 0, Math.min(500, data.x.rows));
      const trainMse = mse(probe, await reconstruct(model, probe));
      const preview = await reconstruct(model, { data: Float32Array.from(job.preview, (p) => p / 255), rows: job.previewRows, cols: job.cols });
      scope.postMessage({ type: 'done', seconds: result.seconds, threads, trainMse, history, preview: preview.data } satisfies FromWorker, [preview.data.buffer]);
    } finally {
      model.dispose();
    }
  } catch (e) {
    if (current.signal.aborted || (isLatentkitError(e) && e.code === 'E_ABORTED')) post({ type: 'cancelled' });
    else post({ type: 'error', message: e instanceof Error ? e.message : String(e), ...(isLatentkitError(e) ? { code: e.code } : {}) });
  }
}

scope.addEventListener('message', (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  if (msg.type === 'cancel') controller?.abort();
  else void train(msg);
});
