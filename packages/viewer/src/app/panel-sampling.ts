import { decodeWith, LatentkitError, requireCapability, type Matrix } from '@latentkit/core';
import { densityFromJSON } from '@latentkit/latent';
import type { RunModelData } from '@latentkit/run';
import { el, labelled, panel, select, showError } from './dom.js';
import { sampleCanvas } from './images.js';
import { hasDecodableDensity, modelCan, samplingModels } from './model-capabilities.js';
import type { ModelCache } from './models.js';
import type { ViewerRun } from './view-run.js';

type Source = 'gmm' | 'gaussian' | 'prior';

/** What a model can be sampled from: its fitted latent densities (decoded) and its own prior. */
function sourcesOf(model: RunModelData): [Source, string][] {
  const out: [Source, string][] = [];
  if (hasDecodableDensity(model) && model.latent?.gmm) out.push(['gmm', 'Gaussian mixture']);
  if (hasDecodableDensity(model) && model.latent?.gaussian) out.push(['gaussian', 'Gaussian']);
  if (modelCan(model, 'sample')) out.push(['prior', "the model's own prior"]);
  return out;
}

/**
 * Draws images: codes from a latent density fitted to the run's codes (Gaussian or mixture), decoded; or,
 * for models that can sample, straight from the model's prior. Offered only for models that can.
 */
export function samplingPanel(run: ViewerRun, cache: ModelCache): HTMLElement {
  const { section, body } = panel('sampling-panel', 'Sample from the latent density');
  const models = samplingModels(run.models);
  if (models.length === 0) {
    body.append(el('p', { class: 'note', text: 'No model of this run can sample: that needs a decoder and a latent density in latent.json, or a model that samples itself.' }));
    return section;
  }
  const modelSelect = select('Model to sample from', models.map((m) => [m.info.dir, `${m.info.displayName} (d=${m.info.latentDim})`]), 'sample-model');
  const sourceSelect = select('Latent density', [], 'sample-density');
  const sizeSelect = select('Grid size', [['4', '4 × 4'], ['6', '6 × 6'], ['8', '8 × 8']], 'sample-size');
  const button = el('button', { type: 'button', id: 'sample-button', text: 'Sample grid' });
  const grid = el('div', { class: 'sample-grid', id: 'sample-grid', 'aria-live': 'polite' });
  body.append(el('div', { class: 'controls' }, labelled('Model', modelSelect), labelled('From', sourceSelect), labelled('Grid', sizeSelect), button), grid);

  const current = (): RunModelData => models.find((m) => m.info.dir === modelSelect.value) ?? models[0]!;
  const fillSources = () => sourceSelect.replaceChildren(...sourcesOf(current()).map(([value, text]) => el('option', { value, text })));
  fillSources();
  modelSelect.addEventListener('change', fillSources);

  const draw = async (model: RunModelData, source: Source, n: number, seed: number): Promise<Matrix> => {
    const reducer = await cache.get(model);
    if (source === 'prior') {
      requireCapability(reducer, 'sample', 'sampling from the prior');
      return reducer.sample!(n, { seed });
    }
    const json = source === 'gaussian' ? model.latent?.gaussian : model.latent?.gmm;
    if (!json) throw new LatentkitError('E_INPUT_FORMAT', `${model.info.displayName} has no ${source} density in latent.json`);
    const density = densityFromJSON(json);
    if (density.dim !== reducer.latentDim) {
      throw new LatentkitError('E_SHAPE', `the ${source} density of ${model.info.displayName} is ${density.dim}-dimensional, its latent space ${reducer.latentDim}`);
    }
    return decodeWith(reducer, density.sample(n, seed), 'sampling');
  };

  let seed = 0;
  button.addEventListener('click', async () => {
    const side = Number(sizeSelect.value);
    button.disabled = true;
    try {
      const images = await draw(current(), sourceSelect.value as Source, side * side, seed++);
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
