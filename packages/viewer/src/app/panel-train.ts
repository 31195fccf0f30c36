import type { ReducerRegistry } from '@latentkit/core';
import type { RunData } from '@latentkit/run';
import { lossCurvesSvg } from '@latentkit/viz';
import { el, labelled, panel, select } from './dom.js';
import { figure, sampleCanvas } from './images.js';
import { OptionsForm } from './options-form.js';
import type { PluginModule } from './plugin-list.js';
import type { FromWorker, TrainRequest } from './train-protocol.js';
import { defaultThreads, MAX_THREADS } from './train-threads.js';
import { pointImage } from './view-run.js';
import { resolvedImportMap } from './worker-import.js';

/** Train-split pixels of the run's points, packed for the worker. */
function trainPixels(run: RunData): { pixels: Uint8Array; rows: number } {
  const rows = run.split.reduce((n, s) => n + (s === 0 ? 1 : 0), 0);
  const pixels = new Uint8Array(rows * run.features);
  let k = 0;
  for (let i = 0; i < run.n; i++) {
    if (run.split[i] !== 0) continue;
    pixels.set(pointImage(run, i), k * run.features);
    k++;
  }
  return { pixels, rows };
}

const PREVIEW_POINTS = 8;
function threadCount(n: number): string {
  return `${n} thread${n === 1 ? '' : 's'}`;
}
const OPTION_ID_PREFIX = 'train-opt-';

/**
 * Trains any reducer of the registry on the run's training points in a Web Worker, with a progress bar and
 * Cancel. Its options form comes from the plugin's schema; the worker validates the values with it.
 */
export function trainPanel(run: RunData, registry: Promise<ReducerRegistry>, plugins: readonly PluginModule[]): HTMLElement {
  const { section, body } = panel('train-panel', 'Train in the browser');
  const kindSelect = select('Reducer to train', [], 'train-kind');
  const dimInput = el('input', { type: 'number', min: '1', max: String(run.features), value: '8', id: 'train-d', 'aria-label': 'Latent dimension d' });
  const threadsInput = el('input', { type: 'number', min: '1', max: String(MAX_THREADS), value: String(defaultThreads()), id: 'train-threads', 'aria-label': 'Training threads' });
  const start = el('button', { type: 'button', id: 'train-start', text: 'Train', disabled: '' });
  const cancel = el('button', { type: 'button', id: 'train-cancel', text: 'Cancel', disabled: '' });
  const optionsBox = el('div', { id: 'train-options' });
  const progress = el('progress', { id: 'train-progress', max: '1', value: '0', 'aria-label': 'Training progress' });
  // Stays up for the run: training on fewer threads than asked is said, never silent.
  const threadsNote = el('p', { class: 'note', id: 'train-threads-note', hidden: '' });
  const status = el('p', { class: 'note', id: 'train-status', 'aria-live': 'polite', text: `Data: the run's ${run.split.filter((s) => s === 0).length} training points.` });
  const chart = el('div', { class: 'chart', id: 'train-chart' });
  const preview = el('div', { class: 'figures', id: 'train-preview' });
  const previewIndices = Array.from(run.testIndices.subarray(0, PREVIEW_POINTS));
  body.append(
    el('div', { class: 'controls' }, labelled('Reducer', kindSelect), labelled('d', dimInput), labelled('threads', threadsInput), start, cancel),
    optionsBox,
    progress,
    status,
    threadsNote,
    preview,
    chart,
  );

  let form: OptionsForm | undefined;
  let loaded: ReducerRegistry | undefined;
  // The reducer list comes with the plugins, which load after the scatter has drawn.
  void registry.then((reg) => {
    loaded = reg;
    const plugins = reg.list().filter((p) => !p.requiresImages || run.manifest.data.imageShape);
    for (const p of plugins) kindSelect.append(el('option', { value: p.kind, text: p.displayName ?? p.kind }));
    const showOptions = () => {
      form = new OptionsForm(reg.get(kindSelect.value), OPTION_ID_PREFIX);
      optionsBox.replaceChildren(form.element);
    };
    kindSelect.addEventListener('change', showOptions);
    if (plugins.length) {
      showOptions();
      start.disabled = false;
    }
  });

  let worker: Worker | undefined;
  const finish = (text: string) => {
    status.textContent = text;
    start.disabled = false;
    cancel.disabled = true;
    section.dataset.state = 'idle';
  };

  start.addEventListener('click', async () => {
    const kind = kindSelect.value;
    const latentDim = Number(dimInput.value);
    const workers = Number(threadsInput.value);
    if (!Number.isInteger(workers) || workers < 1 || workers > MAX_THREADS) return finish(`Training failed: threads must be an integer from 1 to ${MAX_THREADS}, got ${threadsInput.value}`);
    let options: Record<string, unknown>;
    try {
      options = form?.values() ?? {};
      // Checked here for an immediate answer; the worker checks again before it fits.
      await loaded?.settings(kind, latentDim, options);
    } catch (e) {
      return finish(`Training failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    worker ??= new Worker(new URL('./train-worker.js', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<FromWorker>) => {
      const msg = event.data;
      if (msg.type === 'progress') {
        if (msg.fraction !== undefined) progress.value = msg.fraction;
        if (msg.fallback) {
          threadsNote.textContent = `${msg.fallback.charAt(0).toUpperCase()}${msg.fallback.slice(1)}.`;
          threadsNote.hidden = false;
        }
        status.textContent = `${msg.phase}${msg.epoch !== undefined ? ` epoch ${msg.epoch}/${msg.epochs ?? '?'}` : ''}${msg.loss !== undefined ? ` · loss ${msg.loss.toFixed(4)}` : ''} · on ${threadCount(msg.threads)}`;
      } else if (msg.type === 'done') {
        progress.value = 1;
        const quality = msg.trainMse !== undefined ? `reconstruction MSE on training points ${msg.trainMse.toFixed(4)}` : 'it does not reconstruct, so there is no preview';
        finish(`Trained ${kind} d=${latentDim} in ${msg.seconds.toFixed(1)} s on ${threadCount(msg.threads)}; ${quality}.`);
        const shown = msg.preview;
        if (shown) {
          preview.replaceChildren(
            ...previewIndices.flatMap((i, k) => [
              figure(sampleCanvas(pointImage(run, i), run.imageShape, { max: 255, size: 40 }), `x #${i}`),
              figure(sampleCanvas(shown.subarray(k * run.features, (k + 1) * run.features), run.imageShape, { size: 40, label: `reconstruction of #${i}` }), 'g∘f(x)'),
            ]),
          );
        }
        // The epoch losses as numbers too, for scripts reading the page (the chart only draws them).
        chart.dataset.losses = msg.history.map((h) => h.loss).join(',');
        if (msg.history.length > 1) chart.innerHTML = lossCurvesSvg({ series: [{ label: kind, points: msg.history }], width: 480, height: 240 });
      } else if (msg.type === 'cancelled') finish('Training cancelled.');
      else finish(`Training failed: ${msg.message}`);
    };
    worker.onerror = (e) => finish(`Training failed: ${e.message}`);
    const { pixels, rows } = trainPixels(run);
    const previewPixels = new Uint8Array(previewIndices.length * run.features);
    previewIndices.forEach((i, k) => previewPixels.set(pointImage(run, i), k * run.features));
    const request: TrainRequest = {
      type: 'train',
      kind,
      latentDim,
      options,
      seed: 0,
      workers,
      pixels,
      rows,
      cols: run.features,
      imageShape: run.imageShape,
      preview: previewPixels,
      previewRows: previewIndices.length,
      plugins,
      importMap: resolvedImportMap(),
    };
    progress.value = 0;
    chart.replaceChildren();
    delete chart.dataset.losses;
    preview.replaceChildren();
    threadsNote.hidden = true;
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
