/// <reference lib="webworker" />
// Trains a reducer off the main thread on the wasm backend (with ae-core's training kernels), so the
// page stays responsive; a 'cancel' message aborts the fit through its AbortSignal.
import { isLatentkitError, mse, sliceRows, type Dataset } from '@latentkit/core';
import { buildRegistry } from './registry.js';
import { prepareWasmBackend } from './tf-backend.js';
import type { FromWorker, ToWorker, TrainRequest } from './train-protocol.js';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const registry = buildRegistry();
let controller: AbortController | undefined;

function post(message: FromWorker): void {
  scope.postMessage(message);
}

async function train(job: TrainRequest): Promise<void> {
  controller?.abort();
  const current = (controller = new AbortController());
  const x = Float32Array.from(job.pixels, (p) => p / 255);
  const data: Dataset = { name: 'run points (train split)', x: { data: x, rows: job.rows, cols: job.cols }, imageShape: job.imageShape };
  const options = job.kind === 'pca' ? {} : { epochs: job.epochs, batchSize: 64 };
  let lastPost = 0;
  try {
    if (job.kind !== 'pca') await prepareWasmBackend();
    const reducer = registry.create(job.kind, { latentDim: job.latentDim, ...options });
    try {
      const result = await reducer.fit(data, {
        seed: job.seed,
        signal: current.signal,
        onProgress(e) {
          // Enough to move a progress bar smoothly without flooding the page with messages.
          const now = performance.now();
          if (now - lastPost < 50 && e.fraction !== 1) return;
          lastPost = now;
          post({ type: 'progress', phase: e.phase, fraction: e.fraction, epoch: e.epoch, epochs: e.epochs, loss: e.loss });
        },
      });
      const probe = sliceRows(data.x, 0, 500);
      const trainMse = mse(probe, await reducer.decode(await reducer.encode(probe)));
      const preview = await reducer.decode(await reducer.encode({ data: Float32Array.from(job.preview, (p) => p / 255), rows: job.previewRows, cols: job.cols }));
      const history = (result.history ?? []).map((h) => ({ epoch: h.epoch, loss: h.loss }));
      scope.postMessage({ type: 'done', seconds: result.seconds, trainMse, history, preview: preview.data } satisfies FromWorker, [preview.data.buffer]);
    } finally {
      reducer.dispose();
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
