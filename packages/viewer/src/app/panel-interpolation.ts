import { createMatrix } from '@latentkit/core';
import { pointCode, type RunModelData } from '@latentkit/run';
import { el, labelled, panel, select, showError } from './dom.js';
import { drawSample, figure, sampleCanvas } from './images.js';
import { mixCodes } from './interpolation-math.js';
import { bestReconstructingModel, reconstructingModels } from './model-capabilities.js';
import type { ModelCache } from './models.js';
import type { Selection } from './selection.js';
import type { ViewerTimings } from './timings.js';
import { pointImage, type ViewerRun } from './view-run.js';

const STRIP_STEPS = 9;

/**
 * Interpolation between the two selected points: a slider decodes g((1−α)z_A + α z_B) live, and a
 * strip shows evenly spaced steps. Only models that encode and decode take part; the one with the lowest
 * test MSE is chosen first. Slider moves that arrive while a decode runs collapse into one.
 */
export function interpolationPanel(run: ViewerRun, cache: ModelCache, selection: Selection, timings: ViewerTimings): HTMLElement {
  const { section, body } = panel('interpolation-panel', 'Interpolate between A and B');
  const models = reconstructingModels(run.models);
  const preferred = bestReconstructingModel(run.models);
  if (!preferred) {
    body.append(el('p', { class: 'note', id: 'interp-status', text: 'No model of this run both encodes and decodes, so none can interpolate.' }));
    return section;
  }
  const modelSelect = select('Model used to decode the interpolation', models.map((m) => [m.info.dir, `${m.info.displayName} (d=${m.info.latentDim})`]), 'interp-model');
  modelSelect.value = preferred.info.dir;
  const slider = el('input', { type: 'range', min: '0', max: '100', step: '1', value: '50', id: 'interp-alpha', 'aria-label': 'Interpolation position α from A (0) to B (1)', disabled: '' });
  const alphaText = el('output', { for: 'interp-alpha', id: 'interp-alpha-text', text: 'α = 0.50' });
  const output = el('canvas', { class: 'sample big', id: 'interp-output', role: 'img', 'aria-label': 'Decoded interpolation at the slider position', hidden: '' });
  const ends = el('div', { class: 'figures', id: 'interp-ends' });
  const strip = el('div', { class: 'figures strip', id: 'interp-strip' });
  const status = el('p', { class: 'note', id: 'interp-status', text: 'Select two points (A, then B) in the scatter.' });
  body.append(el('div', { class: 'controls' }, labelled('Decoder', modelSelect), labelled('α', slider), alphaText), status, el('div', { class: 'interp-row' }, ends, output), strip);

  const model = (): RunModelData => models.find((m) => m.info.dir === modelSelect.value) ?? preferred;
  let pending: number | null = null;
  let running = false;

  const decodeAt = async (alpha: number) => {
    const pair = selection.pair;
    if (!pair) return;
    const m = model();
    const code = mixCodes(pointCode(m, pair[0]), pointCode(m, pair[1]), alpha);
    const started = performance.now();
    const decoded = await cache.decode(m, createMatrix(1, code.length, code), 'interpolation');
    timings.interpolationDecodeMs.push(performance.now() - started);
    timings.interpolationModel = `${m.info.displayName} d=${m.info.latentDim}`;
    drawSample(output, decoded.data, run.imageShape);
    output.hidden = false;
    output.dataset.alpha = alpha.toFixed(2);
  };

  // Runs the latest requested α; requests made meanwhile replace each other instead of queueing.
  const request = async (alpha: number) => {
    pending = alpha;
    if (running) return;
    running = true;
    try {
      while (pending !== null) {
        const next = pending;
        pending = null;
        await decodeAt(next);
      }
    } catch (e) {
      showError(status, e);
    } finally {
      running = false;
    }
  };

  const refresh = async () => {
    const pair = selection.pair;
    if (!pair) return;
    const m = model();
    slider.disabled = false;
    status.textContent = `A = #${pair[0]}, B = #${pair[1]}; decoding with ${m.info.displayName}.`;
    ends.replaceChildren(
      figure(sampleCanvas(pointImage(run, pair[0]), run.imageShape, { max: 255, label: `A, point #${pair[0]}` }), 'A'),
      figure(sampleCanvas(pointImage(run, pair[1]), run.imageShape, { max: 255, label: `B, point #${pair[1]}` }), 'B'),
    );
    try {
      const d = m.info.latentDim;
      const codes = createMatrix(STRIP_STEPS, d);
      for (let s = 0; s < STRIP_STEPS; s++) codes.data.set(mixCodes(pointCode(m, pair[0]), pointCode(m, pair[1]), s / (STRIP_STEPS - 1)), s * d);
      const images = await cache.decode(m, codes, 'interpolation');
      strip.replaceChildren(
        ...Array.from({ length: STRIP_STEPS }, (_, s) =>
          figure(sampleCanvas(images.data.subarray(s * run.features, (s + 1) * run.features), run.imageShape, { size: 40, label: `step ${s}` }), (s / (STRIP_STEPS - 1)).toFixed(2)),
        ),
      );
      await request(Number(slider.value) / 100);
    } catch (e) {
      showError(status, e);
    }
  };

  slider.addEventListener('input', () => {
    const alpha = Number(slider.value) / 100;
    alphaText.textContent = `α = ${alpha.toFixed(2)}`;
    void request(alpha);
  });
  modelSelect.addEventListener('change', () => void refresh());
  selection.onChange(() => void refresh());
  return section;
}
