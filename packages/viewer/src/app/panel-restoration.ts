import { labelName } from '@latentkit/run';
import { el, labelled, panel, select, showError } from './dom.js';
import { figure, sampleCanvas } from './images.js';
import { restoringModels } from './model-capabilities.js';
import type { ModelCache } from './models.js';
import { cleanRows, corruptionChoice, corruptionSpec, CORRUPTION_CHOICES, formatPsnr, restore } from './restoration.js';
import type { Selection } from './selection.js';
import type { ViewerRun } from './view-run.js';

/** Rows restored at once: the clicked points, or the first ones of a lasso selection. */
const ROWS_SHOWN = 8;

/**
 * Corrupt and restore, beside the reconstruction panel: the selected rows clean, corrupted (noise, salt and
 * pepper, a mask or down-sampling, seeded) and restored as g(f(corrupted)) by a model that encodes and decodes,
 * with the PSNR of corrupted and restored against clean over the rows shown.
 */
export function restorationPanel(run: ViewerRun, cache: ModelCache, selection: Selection): HTMLElement {
  const { section, body } = panel('restoration-panel', 'Corrupt and restore');
  const models = restoringModels(run.models);
  if (models.length === 0) {
    body.append(el('p', { class: 'note', text: 'No model of this run both encodes and decodes, so none can restore a corrupted point.' }));
    return section;
  }
  const modelSelect = select('Model that restores', models.map((m) => [m.info.dir, `${m.info.displayName} (d=${m.info.latentDim})`]), 'restore-model');
  const typeSelect = select('Corruption', CORRUPTION_CHOICES.map((c) => [c.type, c.label]), 'restore-corruption');
  const parameter = el('input', { type: 'number', id: 'restore-parameter', 'aria-label': 'Corruption parameter', step: 'any', min: '0', });
  const parameterLabel = labelled('', parameter);
  const seed = el('input', { type: 'number', id: 'restore-seed', 'aria-label': 'Corruption seed', step: '1', min: '0', value: '0', });
  const psnrLine = el('div', { class: 'note', id: 'restore-psnr', 'aria-live': 'polite' });
  const grid = el('div', { class: 'restore-rows', id: 'restore-rows' });
  const hint = el('p', { class: 'note', id: 'restore-hint', text: 'Select points (click, or draw a lasso) to corrupt and restore them.' });
  body.append(el('div', { class: 'controls' }, labelled('Model', modelSelect), labelled('Corruption', typeSelect), parameterLabel, labelled('Seed', seed)), hint, psnrLine, grid);

  const showParameter = () => {
    const choice = corruptionChoice(typeSelect.value);
    parameterLabel.hidden = choice.parameter === undefined;
    parameterLabel.querySelector('span')!.textContent = choice.parameter ?? '';
    parameter.value = choice.value === undefined ? '' : String(choice.value);
  };
  typeSelect.value = 'noise';
  showParameter();

  const shownRows = (): number[] => (selection.lasso.length > 0 ? Array.from(selection.lasso.subarray(0, ROWS_SHOWN)) : [...selection.indices]);

  let token = 0;
  const update = async () => {
    const rows = shownRows();
    const mine = ++token;
    hint.hidden = rows.length > 0;
    if (rows.length === 0) return;
    const model = models.find((m) => m.info.dir === modelSelect.value) ?? models[0]!;
    const caption = `${model.info.displayName} d=${model.info.latentDim}`;
    section.dataset.state = 'busy';
    try {
      const spec = corruptionSpec(typeSelect.value, parameter.value);
      // ae-core (and with it tfjs) loads only when a restoration is asked for, not with the first screen.
      const [reducer, { corruptRows }] = await Promise.all([cache.get(model), import('@latentkit/ae-core')]);
      const clean = cleanRows(run, rows);
      const corrupted = corruptRows(clean, spec, { inputShape: reducer.inputShape, seed: Number(seed.value) || 0 });
      const result = await restore(reducer, clean, corrupted);
      if (mine !== token) return;
      const f = run.features;
      const image = (m: { data: Float32Array }, k: number, label: string, text: string) => figure(sampleCanvas(m.data.subarray(k * f, (k + 1) * f), run.imageShape, { size: 48, label }), text);
      grid.replaceChildren(
        ...rows.map((i, k) =>
          el('div', { class: 'figures', 'data-row': String(i) },
            image(clean, k, `clean #${i}`, `#${i} ${labelName(run, i)}`),
            image(corrupted, k, `corrupted #${i}`, spec),
            image(result.restored, k, `restored #${i} by ${caption}`, caption),
          ),
        ),
      );
      psnrLine.dataset.psnrCorrupted = String(result.psnrCorrupted);
      psnrLine.dataset.psnrRestored = String(result.psnrRestored);
      psnrLine.dataset.spec = spec;
      psnrLine.textContent = `PSNR over ${rows.length} row${rows.length === 1 ? '' : 's'} (peak 1): corrupted ${formatPsnr(result.psnrCorrupted)}, restored by ${caption} ${formatPsnr(result.psnrRestored)}.`;
      section.dataset.state = 'done';
    } catch (e) {
      if (mine !== token) return;
      grid.replaceChildren();
      delete psnrLine.dataset.psnrCorrupted;
      delete psnrLine.dataset.psnrRestored;
      showError(psnrLine, e);
      section.dataset.state = 'error';
    }
  };
  typeSelect.addEventListener('change', () => {
    showParameter();
    void update();
  });
  for (const control of [modelSelect, parameter, seed]) control.addEventListener('change', () => void update());
  selection.onChange(() => void update());
  selection.onLassoChange(() => void update());
  return section;
}
