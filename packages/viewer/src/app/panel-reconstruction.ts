import { createMatrix } from '@latentkit/core';
import { labelName, pointCode } from '@latentkit/run';
import { el, panel } from './dom.js';
import { figure, sampleCanvas } from './images.js';
import { reconstructingModels } from './model-capabilities.js';
import type { ModelCache } from './models.js';
import type { Selection } from './selection.js';
import { pointImage, type ViewerRun } from './view-run.js';

/** The selected point next to its reconstruction g(f(x)) by every model of the run that encodes and decodes. */
export function reconstructionPanel(run: ViewerRun, cache: ModelCache, selection: Selection): HTMLElement {
  const { section, body } = panel('reconstruction-panel', 'Selected sample, reconstructed');
  const models = reconstructingModels(run.models);
  const row = el('div', { class: 'figures', id: 'reconstructions', 'aria-live': 'polite' });
  const hint = models.length
    ? 'Click a point (or focus the plot, move with the arrow keys and press Enter).'
    : 'No model of this run both encodes and decodes, so none can reconstruct a point.';
  body.append(el('p', { class: 'note', text: hint }), row);
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
