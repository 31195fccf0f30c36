import { project2d } from '@latentkit/viz';
import { categoricalColor } from '@latentkit/viz';
import { el, labelled, panel, select } from './dom.js';
import { drawSample } from './images.js';
import { labelName, type RunData } from '@latentkit/run';
import { modelsWithCodes } from './model-capabilities.js';
import { LatentScatter } from './scatter.js';
import type { Selection } from './selection.js';
import type { ViewerClock } from './timings.js';
import { pointImage } from './view-run.js';

/**
 * The latent scatter (2-D projection of one model's codes) with a hover tooltip showing the digit. Any model
 * with codes for the points can be plotted: encoders and fit-transform reducers alike.
 */
export function scatterPanel(run: RunData, selection: Selection, clock: ViewerClock): { section: HTMLElement; scatter: () => LatentScatter | undefined } {
  const { section, body } = panel('scatter-panel', 'Latent space');
  section.classList.add('wide');
  const plotted = modelsWithCodes(run.models);
  const modelSelect = select('Model whose codes are plotted', plotted.map((m) => [m.info.dir, `${m.info.displayName} (d=${m.info.latentDim})`]), 'scatter-model');
  const axes = el('span', { class: 'note', id: 'scatter-axes' });
  const plot = el('div', { class: 'scatter-box' });
  const tipCanvas = el('canvas', { class: 'sample', 'aria-hidden': 'true' });
  const tipText = el('span');
  const tooltip = el('div', { class: 'tooltip', id: 'tooltip', role: 'tooltip', hidden: '' }, tipCanvas, tipText);
  const legend = el('ul', { class: 'legend', 'aria-label': 'Colour legend' });
  if (run.labels) {
    const names = run.manifest.data.labelNames ?? Array.from({ length: 10 }, (_, i) => String(i));
    names.forEach((name, i) => legend.append(el('li', {}, el('span', { class: 'swatch', style: `background:${categoricalColor(i)}` }), name)));
  }
  body.append(el('div', { class: 'controls' }, labelled('Codes of', modelSelect), axes), plot, legend, tooltip);

  let scatter: LatentScatter | undefined;
  const build = () => {
    const model = plotted.find((m) => m.info.dir === modelSelect.value) ?? plotted[0];
    if (!model?.codes) {
      plot.replaceChildren(el('p', { class: 'note', text: run.models.length ? 'No model of this run has codes for its points.' : 'This run has no models.' }));
      clock.nothingToDraw();
      return;
    }
    const projection = project2d(model.codes);
    axes.textContent = projection.axes === 'pca' ? 'axes: first two principal components of the codes' : 'axes: the codes themselves';
    plot.replaceChildren();
    const firstRender = clock.timings.scatterFirstRenderMs === undefined ? () => clock.recordScatterDrawn() : undefined;
    scatter = new LatentScatter(
      plot,
      projection.points,
      run.labels,
      {
        onHover(i, x, y) {
          if (i === null) {
            tooltip.hidden = true;
            return;
          }
          drawSample(tipCanvas, pointImage(run, i), run.imageShape, 255);
          tipText.textContent = `#${i}${run.labels ? ` · ${labelName(run, i)}` : ''} · ${run.split[i] === 1 ? 'test' : 'train'}`;
          tooltip.hidden = false;
          tooltip.style.left = `${Math.min(x + 14, window.innerWidth - 110)}px`;
          tooltip.style.top = `${Math.max(4, y - 90)}px`;
        },
        onSelect: (i) => selection.select(i),
      },
      firstRender,
    );
    scatter.setSelected(selection.indices);
  };
  modelSelect.addEventListener('change', build);
  selection.onChange((indices) => scatter?.setSelected(indices));
  // Build once the section is in the document so the canvas has a size.
  queueMicrotask(build);
  return { section, scatter: () => scatter };
}
