import { densityFromJSON, sampleDecoded } from '@latentkit/latent';
import { el, labelled, panel, select, showError } from './dom.js';
import { sampleCanvas } from './images.js';
import type { ModelCache } from './models.js';
import type { RunData } from './run-data.js';

/** Draws codes from the run's fitted latent densities (Gaussian or mixture) and decodes a grid. */
export function samplingPanel(run: RunData, cache: ModelCache): HTMLElement {
  const { section, body } = panel('sampling-panel', 'Sample from the latent density');
  const withDensity = run.models.filter((m) => m.latent?.gaussian || m.latent?.gmm);
  if (withDensity.length === 0) {
    body.append(el('p', { class: 'note', text: 'No model in this run has a latent.json with fitted densities.' }));
    return section;
  }
  const modelSelect = select('Model to sample from', withDensity.map((m) => [m.info.dir, `${m.info.displayName} (d=${m.info.latentDim})`]), 'sample-model');
  const densitySelect = select('Latent density', [['gmm', 'Gaussian mixture'], ['gaussian', 'Gaussian']], 'sample-density');
  const sizeSelect = select('Grid size', [['4', '4 × 4'], ['6', '6 × 6'], ['8', '8 × 8']], 'sample-size');
  const button = el('button', { type: 'button', id: 'sample-button', text: 'Sample grid' });
  const grid = el('div', { class: 'sample-grid', id: 'sample-grid', 'aria-live': 'polite' });
  body.append(el('div', { class: 'controls' }, labelled('Model', modelSelect), labelled('Density', densitySelect), labelled('Grid', sizeSelect), button), grid);

  let seed = 0;
  button.addEventListener('click', async () => {
    const model = withDensity.find((m) => m.info.dir === modelSelect.value)!;
    const json = densitySelect.value === 'gaussian' ? model.latent!.gaussian : model.latent!.gmm;
    const side = Number(sizeSelect.value);
    button.disabled = true;
    try {
      if (!json) throw new Error(`${model.info.displayName} has no ${densitySelect.value} density in latent.json`);
      const density = densityFromJSON(json);
      const { images } = await sampleDecoded(await cache.get(model), density, side * side, seed++);
      grid.style.gridTemplateColumns = `repeat(${side}, 1fr)`;
      grid.replaceChildren(
        ...Array.from({ length: side * side }, (_, k) =>
          sampleCanvas(images.data.subarray(k * run.features, (k + 1) * run.features), run.imageShape, { size: 40, label: `sample ${k + 1}` }),
        ),
      );
      grid.dataset.seed = String(seed - 1);
    } catch (e) {
      showError(grid, e);
    } finally {
      button.disabled = false;
    }
  });
  return section;
}
