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
  if (modelCan(model, 'sample')) out.push(['prior', "the model's prior"]);
  if (hasDecodableDensity(model) && model.latent?.gmm) out.push(['gmm', 'a density fitted to the codes (Gaussian mixture)']);
  if (hasDecodableDensity(model) && model.latent?.gaussian) out.push(['gaussian', 'a density fitted to the codes (Gaussian)']);
  return out;
}

/**
 * Draws a seeded grid of images: straight from the model's prior for models that can sample (a VAE's
 * N(0, I) decoded), or codes from a latent density fitted to the run's codes (Gaussian or mixture), decoded.
 * Offered only for models that can; the prior comes first where a model has one.
 */
export function samplingPanel(run: ViewerRun, cache: ModelCache): HTMLElement {
  const { section, body } = panel('sampling-panel', 'Sample new images');
  const models = samplingModels(run.models);
  if (models.length === 0) {
    body.append(el('p', { class: 'note', text: 'No model of this run can sample: that needs a decoder and a latent density in latent.json, or a model that samples itself.' }));
    return section;
  }
  const modelSelect = select('Model to sample from', models.map((m) => [m.info.dir, `${m.info.displayName} (d=${m.info.latentDim})`]), 'sample-model');
  const sourceSelect = select('Sample from', [], 'sample-density');
  const sizeSelect = select('Grid size', [['4', '4 × 4'], ['6', '6 × 6'], ['8', '8 × 8']], 'sample-size');
  const seedInput = el('input', { type: 'number', id: 'sample-seed', 'aria-label': 'Sampling seed', step: '1', min: '0', value: '0' });
  const button = el('button', { type: 'button', id: 'sample-button', text: 'Sample grid' });
  const redraw = el('button', { type: 'button', id: 'sample-redraw', text: 'Re-draw', title: 'Draw again with the next seed' });
  const grid = el('div', { class: 'sample-grid', id: 'sample-grid', 'aria-live': 'polite' });
  body.append(el('div', { class: 'controls' }, labelled('Model', modelSelect), labelled('From', sourceSelect), labelled('Grid', sizeSelect), labelled('Seed', seedInput), button, redraw), grid);

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

  const sampleGrid = async () => {
    const side = Number(sizeSelect.value);
    const seed = Math.max(0, Math.floor(Number(seedInput.value) || 0));
    button.disabled = redraw.disabled = true;
    try {
      const images = await draw(current(), sourceSelect.value as Source, side * side, seed);
      grid.style.gridTemplateColumns = `repeat(${side}, 1fr)`;
      grid.replaceChildren(
        ...Array.from({ length: side * side }, (_, k) =>
          sampleCanvas(images.data.subarray(k * run.features, (k + 1) * run.features), run.imageShape, { size: 40, label: `sample ${k + 1}` }),
        ),
      );
      grid.dataset.seed = String(seed);
      grid.dataset.source = sourceSelect.value;
    } catch (e) {
      showError(grid, e);
    } finally {
      button.disabled = redraw.disabled = false;
    }
  };
  button.addEventListener('click', () => void sampleGrid());
  // Re-draw: the next seed, so every grid can be drawn again from its seed.
  redraw.addEventListener('click', () => {
    seedInput.value = String(Math.max(0, Math.floor(Number(seedInput.value) || 0)) + 1);
    void sampleGrid();
  });
  return section;
}
