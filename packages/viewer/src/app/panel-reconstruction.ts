import { createMatrix } from '@latentkit/core';
import { el, panel, showError } from './dom.js';
import { figure, sampleCanvas } from './images.js';
import type { ModelCache } from './models.js';
import { labelName, pointCode, type RunData } from './run-data.js';
import type { Selection } from './selection.js';

/** The selected point next to its reconstruction g(f(x)) by every model of the run. */
export function reconstructionPanel(run: RunData, cache: ModelCache, selection: Selection): HTMLElement {
  const { section, body } = panel('reconstruction-panel', 'Selected sample, reconstructed');
  const row = el('div', { class: 'figures', id: 'reconstructions', 'aria-live': 'polite' });
  body.append(el('p', { class: 'note', text: 'Click a point (or focus the plot, move with the arrow keys and press Enter).' }), row);
  let token = 0;
  selection.onChange(async () => {
    const i = selection.latest;
    if (i === undefined) return;
    const mine = ++token;
    const original = run.images.subarray(i * run.features, (i + 1) * run.features);
    const figures = [figure(sampleCanvas(original, run.imageShape, { max: 255, label: `original #${i}` }), `x #${i} ${labelName(run, i)}`)];
    row.replaceChildren(...figures);
    try {
      for (const model of run.models) {
        const decoded = await cache.decode(model, createMatrix(1, model.codes.cols, pointCode(model, i).slice()));
        if (mine !== token) return;
        const caption = `${model.info.displayName} d=${model.info.latentDim}`;
        row.append(figure(sampleCanvas(decoded.data, run.imageShape, { label: `reconstruction by ${caption}` }), caption));
      }
    } catch (e) {
      if (mine === token) showError(row, e);
    }
  });
  return section;
}
