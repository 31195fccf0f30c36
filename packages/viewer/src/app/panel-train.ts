import type { ReducerRegistry } from '@latentkit/core';
import { lossCurvesSvg } from '@latentkit/viz';
import { el, labelled, panel, select } from './dom.js';
import { figure, sampleCanvas } from './images.js';
import type { RunData } from './run-data.js';
import type { FromWorker, TrainRequest } from './train-protocol.js';

/** Train-split pixels of the run's points, packed for the worker. */
function trainPixels(run: RunData): { pixels: Uint8Array; rows: number } {
  const rows = run.split.reduce((n, s) => n + (s === 0 ? 1 : 0), 0);
  const pixels = new Uint8Array(rows * run.features);
  let k = 0;
  for (let i = 0; i < run.n; i++) {
    if (run.split[i] !== 0) continue;
    pixels.set(run.images.subarray(i * run.features, (i + 1) * run.features), k * run.features);
    k++;
  }
  return { pixels, rows };
}

const PREVIEW_POINTS = 8;

/** Trains a reducer on the run's training points in a Web Worker, with a progress bar and Cancel. */
export function trainPanel(run: RunData, registry: Promise<ReducerRegistry>): HTMLElement {
  const { section, body } = panel('train-panel', 'Train in the browser');
  const kindSelect = select('Reducer to train', [], 'train-kind');
  const dimInput = el('input', { type: 'number', min: '1', max: String(run.features - 1), value: '8', id: 'train-d', 'aria-label': 'Latent dimension d' });
  const epochsInput = el('input', { type: 'number', min: '1', max: '200', value: '5', id: 'train-epochs', 'aria-label': 'Training epochs' });
  const start = el('button', { type: 'button', id: 'train-start', text: 'Train', disabled: '' });
  const cancel = el('button', { type: 'button', id: 'train-cancel', text: 'Cancel', disabled: '' });
  const progress = el('progress', { id: 'train-progress', max: '1', value: '0', 'aria-label': 'Training progress' });
  const status = el('p', { class: 'note', id: 'train-status', 'aria-live': 'polite', text: `Data: the run's ${run.split.filter((s) => s === 0).length} training points.` });
  const chart = el('div', { class: 'chart', id: 'train-chart' });
  const preview = el('div', { class: 'figures', id: 'train-preview' });
  const previewIndices = Array.from(run.testIndices.subarray(0, PREVIEW_POINTS));
  body.append(
    el('div', { class: 'controls' }, labelled('Reducer', kindSelect), labelled('d', dimInput), labelled('Epochs', epochsInput), start, cancel),
    progress,
    status,
    preview,
    chart,
  );

  // The reducer list comes with the plugins, which load after the scatter has drawn.
  void registry.then((reg) => {
    const kinds = reg.kinds().filter((k) => !reg.get(k).requiresImages || run.manifest.data.imageShape);
    for (const k of kinds) kindSelect.append(el('option', { value: k, text: reg.get(k).displayName ?? k }));
    if (kinds.includes('dense-ae')) kindSelect.value = 'dense-ae';
    start.disabled = false;
  });

  let worker: Worker | undefined;
  const finish = (text: string) => {
    status.textContent = text;
    start.disabled = false;
    cancel.disabled = true;
    section.dataset.state = 'idle';
  };

  start.addEventListener('click', () => {
    const latentDim = Number(dimInput.value);
    const epochs = Number(epochsInput.value);
    if (!Number.isInteger(latentDim) || latentDim < 1 || latentDim >= run.features) return finish(`d must be an integer from 1 to ${run.features - 1}.`);
    if (!Number.isInteger(epochs) || epochs < 1) return finish('Epochs must be a positive integer.');
    worker ??= new Worker(new URL('./train-worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<FromWorker>) => {
      const msg = event.data;
      if (msg.type === 'progress') {
        if (msg.fraction !== undefined) progress.value = msg.fraction;
        status.textContent = `${msg.phase}${msg.epoch !== undefined ? ` epoch ${msg.epoch}/${msg.epochs ?? '?'}` : ''}${msg.loss !== undefined ? ` · loss ${msg.loss.toFixed(4)}` : ''}`;
      } else if (msg.type === 'done') {
        progress.value = 1;
        finish(`Trained ${kindSelect.value} d=${latentDim} in ${msg.seconds.toFixed(1)} s; reconstruction MSE on training points ${msg.trainMse.toFixed(4)}.`);
        preview.replaceChildren(
          ...previewIndices.flatMap((i, k) => [
            figure(sampleCanvas(run.images.subarray(i * run.features, (i + 1) * run.features), run.imageShape, { max: 255, size: 40 }), `x #${i}`),
            figure(sampleCanvas(msg.preview.subarray(k * run.features, (k + 1) * run.features), run.imageShape, { size: 40, label: `reconstruction of #${i}` }), 'g∘f(x)'),
          ]),
        );
        if (msg.history.length > 1) chart.innerHTML = lossCurvesSvg({ series: [{ label: kindSelect.value, points: msg.history }], width: 480, height: 240 });
      } else if (msg.type === 'cancelled') finish('Training cancelled.');
      else finish(`Training failed: ${msg.message}`);
    };
    worker.onerror = (e) => finish(`Training failed: ${e.message}`);
    const { pixels, rows } = trainPixels(run);
    const previewPixels = new Uint8Array(previewIndices.length * run.features);
    previewIndices.forEach((i, k) => previewPixels.set(run.images.subarray(i * run.features, (i + 1) * run.features), k * run.features));
    const request: TrainRequest = {
      type: 'train',
      kind: kindSelect.value,
      latentDim,
      epochs,
      seed: 0,
      pixels,
      rows,
      cols: run.features,
      imageShape: run.imageShape,
      preview: previewPixels,
      previewRows: previewIndices.length,
    };
    progress.value = 0;
    chart.replaceChildren();
    preview.replaceChildren();
    status.textContent = 'Starting…';
    start.disabled = true;
    cancel.disabled = false;
    section.dataset.state = 'training';
    worker.postMessage(request, [pixels.buffer, previewPixels.buffer]);
  });
  cancel.addEventListener('click', () => {
    status.textContent = 'Cancelling…';
    worker?.postMessage({ type: 'cancel' });
  });
  return section;
}
