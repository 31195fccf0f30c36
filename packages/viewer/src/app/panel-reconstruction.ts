import { createMatrix } from '@latentkit/core';
import { labelName, pointCode } from '@latentkit/run';
import { el, panel } from './dom.js';
import { figure, sampleCanvas } from './images.js';
import { reconstructingModels } from './model-capabilities.js';
import type { ModelCache } from './models.js';
import type { Selection } from './selection.js';
import { pointImage, type ViewerRun } from './view-run.js';

/** Lasso rows shown with their reconstructions (the first ones; the count is the lasso summary's). */
const LASSO_SHOWN = 8;

/**
 * The selected point next to its reconstruction g(f(x)) by every model of the run that encodes and decodes;
 * and, while there is a lasso selection, its first rows with their reconstructions (one batch per model).
 */
export function reconstructionPanel(run: ViewerRun, cache: ModelCache, selection: Selection): HTMLElement {
  const { section, body } = panel('reconstruction-panel', 'Selected sample, reconstructed');
  const models = reconstructingModels(run.models);
  const row = el('div', { class: 'figures', id: 'reconstructions', 'aria-live': 'polite' });
  const hint = models.length
    ? 'Click a point (or focus the plot, move with the arrow keys and press Enter).'
    : 'No model of this run both encodes and decodes, so none can reconstruct a point.';
  const lassoTitle = el('p', { class: 'note', id: 'lasso-reconstructions-title', hidden: '' });
  const lassoGrid = el('div', { class: 'lasso-reconstructions', id: 'lasso-reconstructions', 'aria-live': 'polite' });
  body.append(el('p', { class: 'note', text: hint }), row, lassoTitle, lassoGrid);
  let lassoToken = 0;
  selection.onLassoChange(async (rows) => {
    const mine = ++lassoToken;
    lassoGrid.replaceChildren();
    lassoTitle.hidden = rows.length === 0 || models.length === 0;
    if (lassoTitle.hidden) return;
    const shown = Array.from(rows.subarray(0, LASSO_SHOWN));
    lassoTitle.textContent = `Lasso selection: the first ${shown.length} of ${rows.length} rows, reconstructed.`;
    lassoGrid.append(el('div', { class: 'figures' }, ...shown.map((i) => figure(sampleCanvas(pointImage(run, i), run.imageShape, { max: 255, size: 42, label: `original #${i}` }), `#${i} ${labelName(run, i)}`))));
    for (const model of models) {
      const caption = `${model.info.displayName} d=${model.info.latentDim}`;
      const d = model.info.latentDim;
      const codes = new Float32Array(shown.length * d);
      shown.forEach((i, k) => codes.set(pointCode(model, i), k * d));
      try {
        const decoded = await cache.decode(model, createMatrix(shown.length, d, codes), 'reconstruction of the lasso selection');
        if (mine !== lassoToken) return;
        const f = run.features;
        lassoGrid.append(el('div', { class: 'figures', 'data-model': model.info.dir }, ...shown.map((i, k) => figure(sampleCanvas(decoded.data.subarray(k * f, (k + 1) * f), run.imageShape, { size: 42, label: `lasso reconstruction of #${i} by ${caption}` }), caption))));
      } catch (e) {
        if (mine !== lassoToken) return;
        lassoGrid.append(el('p', { class: 'error', role: 'alert', text: `${caption}: ${e instanceof Error ? e.message : String(e)}` }));
      }
    }
  });
  let token = 0;
  selection.onChange(async () => {
    const i = selection.latest;
    if (i === undefined) return;
    const mine = ++token;
    row.replaceChildren(figure(sampleCanvas(pointImage(run, i), run.imageShape, { max: 255, label: `original #${i}` }), `x #${i} ${labelName(run, i)}`));
    for (const model of models) {
      const caption = `${model.info.displayName} d=${model.info.latentDim}`;
      try {
        const decoded = await cache.decode(model, createMatrix(1, model.info.latentDim, pointCode(model, i).slice()), 'reconstruction');
        if (mine !== token) return;
        row.append(figure(sampleCanvas(decoded.data, run.imageShape, { label: `reconstruction by ${caption}` }), caption));
      } catch (e) {
        if (mine !== token) return;
        // One model failing (e.g. its plugin is not installed) does not hide the others.
        row.append(el('p', { class: 'error', role: 'alert', text: `${caption}: ${e instanceof Error ? e.message : String(e)}` }));
      }
    }
  });
  return section;
}
