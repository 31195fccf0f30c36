import { meanFeatureVariance, type Matrix } from '@latentkit/core';
import { explainedVarianceSvg, type VarianceMarker } from '@latentkit/viz';
import { el, panel, showError } from './dom.js';
import type { RunData } from '@latentkit/run';

/** The run's test points as a [0, 1] matrix (for the variance the models' MSE is compared with). */
function testMatrix(run: RunData): Matrix {
  const data = new Float32Array(run.testIndices.length * run.features);
  run.testIndices.forEach((i, k) => {
    for (let j = 0; j < run.features; j++) data[k * run.features + j] = run.images[i * run.features + j]! / 255;
  });
  return { data, rows: run.testIndices.length, cols: run.features };
}

/**
 * The explained-variance curve of the model whose metrics.json has one (a linear method such as PCA), with
 * every other model that reconstructs placed on it as 1 − MSE / variance.
 */
export function variancePanel(run: RunData): HTMLElement {
  const { section, body } = panel('variance-panel', 'Explained variance');
  const curve = run.models.find((m) => m.metrics?.explainedVarianceRatio?.length);
  if (!curve) {
    body.append(el('p', { class: 'note', text: 'No model of this run has explainedVarianceRatio in its metrics.json.' }));
    return section;
  }
  try {
    const variance = run.testIndices.length > 0 ? meanFeatureVariance(testMatrix(run)) : NaN;
    const markers: VarianceMarker[] = Number.isFinite(variance) && variance > 0
      ? run.models
          .filter((m) => m !== curve && typeof m.info.testMse === 'number' && Number.isFinite(m.info.testMse))
          .map((m) => ({ label: m.info.displayName, latentDim: m.info.latentDim, varianceExplained: 1 - m.info.testMse! / variance }))
      : [];
    const figureBox = el('div', { class: 'chart', id: 'variance-chart', role: 'img', 'aria-label': 'Explained variance by latent size' });
    // viz escapes every label it writes into the SVG, so the string is safe to insert.
    figureBox.innerHTML = explainedVarianceSvg({ ratios: curve.metrics!.explainedVarianceRatio!, markers, width: 560, height: 320 });
    body.append(figureBox);
  } catch (e) {
    showError(body, e);
  }
  return section;
}
