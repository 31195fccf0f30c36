import { type RunData, type RunModelData, type RunScores } from '@latentkit/run';
import { project2d } from '@latentkit/viz';
import { el, labelled, panel, select, showError } from './dom.js';
import { HoverCard } from './hover-card.js';
import { lassoSummary } from './lasso-summary.js';
import { modelsWithCodes } from './model-capabilities.js';
import { availableScores } from './panel-anomaly.js';
import { scoresByPoint, type PointScore } from './point-fields.js';
import { LatentScatter, type ScatterStats } from './scatter.js';
import { pointCountNote } from './scatter-capacity.js';
import { labelColouring, scoreColouring, type LabelColouring, type LegendEntry, type ScoreColouring } from './scatter-colours.js';
import { toNdc, type NdcPoints } from './scatter-layout.js';
import type { Selection } from './selection.js';
import type { ViewerClock } from './timings.js';

/** Width / height of the plot box (1 before it has a size). */
function aspectOf(box: HTMLElement): number {
  const r = box.getBoundingClientRect();
  return r.width > 0 && r.height > 0 ? r.width / r.height : 1;
}

export interface ScatterPanel {
  readonly section: HTMLElement;
  scatter(): LatentScatter | undefined;
  stats(): ScatterStats | undefined;
}

/** The points of one model as drawn: positions and both colourings' values. */
interface Drawn {
  readonly model: RunModelData;
  readonly points: NdcPoints;
  readonly labels: LabelColouring;
  score?: { readonly key: keyof RunScores; readonly colouring: ScoreColouring };
}

/**
 * The latent scatter (2-D projection of one model's codes, every point of the run, drawn with WebGL): colour
 * by label or by an anomaly score, a legend, a hover card (image and fields), lasso selection with a summary.
 * Any model with codes for the points can be plotted: encoders and fit-transform reducers alike.
 */
export function scatterPanel(run: RunData, selection: Selection, clock: ViewerClock): ScatterPanel {
  const { section, body } = panel('scatter-panel', 'Latent space');
  section.classList.add('wide');
  const plotted = modelsWithCodes(run.models);
  const modelSelect = select('Model whose codes are plotted', plotted.map((m) => [m.info.dir, `${m.info.displayName} (d=${m.info.latentDim})`]), 'scatter-model');
  const colourSelect = select('Colour points by', [], 'scatter-colour');
  const lassoMode = el('button', { type: 'button', id: 'scatter-lasso-mode', 'aria-pressed': 'false', title: 'Drag to draw a lasso (shift-drag works in either mode)', text: 'Lasso' });
  const axes = el('span', { class: 'note', id: 'scatter-axes' });
  const plot = el('div', { class: 'scatter-box' });
  const markers = el('div', { class: 'scatter-markers', 'aria-hidden': 'true' });
  const count = el('p', { class: 'note', id: 'scatter-count', 'aria-live': 'polite' });
  const legend = el('ul', { class: 'legend', id: 'scatter-legend', 'aria-label': 'Colour legend' });
  const card = new HoverCard(run);
  const tests = run.testIndices.length;
  let drawn: Drawn | undefined;
  let tooltipScore: PointScore | undefined;
  body.append(
    el('div', { class: 'controls' }, labelled('Codes of', modelSelect), labelled('Colour by', colourSelect), lassoMode, axes),
    plot,
    count,
    legend,
    lassoSummary(run, selection, () => tooltipScore),
    card.element,
  );

  let scatter: LatentScatter | undefined;
  const highlight = () => {
    scatter?.setSelected(selection.lasso.length ? selection.lasso : selection.indices);
    placeMarkers();
  };
  const placeMarkers = () => {
    const box = plot.getBoundingClientRect();
    const pair = selection.indices;
    markers.replaceChildren(
      ...(scatter && pair.length > 1 && drawn
        ? pair.filter((i) => i < drawn!.points.x.length).map((i, k) => {
            const p = scatter!.clientPosition(i);
            return el('span', { class: 'marker', style: `left:${p.x - box.left}px;top:${p.y - box.top}px`, text: k === 0 ? 'A' : 'B' });
          })
        : []),
    );
  };

  const fillColourOptions = (model: RunModelData) => {
    const keep = colourSelect.value;
    const options: [string, string][] = [[run.labels ? 'label' : 'none', run.labels ? 'label' : 'one colour']];
    for (const [key, text] of availableScores(model, tests)) options.push([`score:${key}`, `anomaly score: ${text}`]);
    colourSelect.replaceChildren(...options.map(([value, text]) => el('option', { value, text })));
    if (options.some(([value]) => value === keep)) colourSelect.value = keep;
  };

  /** Recolours (redrawing only when the score bins change) and redraws the legend. */
  const applyColour = async (first?: () => void) => {
    if (!scatter || !drawn) return;
    const choice = colourSelect.value;
    const scoreKey = choice.startsWith('score:') ? (choice.slice('score:'.length) as keyof RunScores) : undefined;
    const scores = drawn.model.latent?.scores;
    const anyScore = scoreKey ?? (scores?.combined ? 'combined' : undefined);
    tooltipScore = anyScore && scores?.[anyScore] ? { name: `${anyScore} score`, values: scoresByPoint(run.n, run.testIndices, scores[anyScore]) } : undefined;
    const n = drawn.points.x.length;
    let entries: readonly LegendEntry[];
    if (scoreKey && scores?.[scoreKey]) {
      const needsBins = drawn.score?.key !== scoreKey;
      if (needsBins) drawn.score = { key: scoreKey, colouring: scoreColouring(n, run.testIndices, scores[scoreKey]) };
      const c = drawn.score!.colouring;
      const colours = { by: 'bin' as const, colours: c.colours, drawOrder: c.drawOrder };
      if (needsBins || first) await scatter.draw(drawn.points, { category: drawn.labels.categories, bin: c.bins }, colours, first);
      else await scatter.setColours(colours);
      entries = c.legend;
      legend.setAttribute('aria-label', `Colour legend: ${scoreKey} anomaly score deciles (${c.scored} scored test points)`);
    } else {
      const colours = { by: 'category' as const, colours: drawn.labels.colours };
      if (first) await scatter.draw(drawn.points, { category: drawn.labels.categories, bin: drawn.score?.colouring.bins ?? new Float32Array(n) }, colours, first);
      else await scatter.setColours(colours);
      entries = drawn.labels.legend;
      legend.setAttribute('aria-label', 'Colour legend: labels');
    }
    legend.dataset.colourBy = scoreKey ? `score:${scoreKey}` : 'label';
    legend.replaceChildren(...entries.map((e) => el('li', {}, el('span', { class: 'swatch', style: `background:${e.colour}` }), e.text)));
    highlight();
  };

  const build = async () => {
    const model = plotted.find((m) => m.info.dir === modelSelect.value) ?? plotted[0];
    if (!model?.codes) {
      plot.replaceChildren(el('p', { class: 'note', text: run.models.length ? 'No model of this run has codes for its points.' : 'This run has no models.' }));
      clock.nothingToDraw();
      return;
    }
    const projection = project2d(model.codes);
    axes.textContent = projection.axes === 'pca' ? 'axes: first two principal components of the codes' : 'axes: the codes themselves';
    if (!scatter) {
      try {
        scatter = new LatentScatter(plot, {
          onHover(i) {
            if (i === null) card.hide();
            else {
              const p = scatter!.clientPosition(i);
              card.show(i, p.x, p.y, tooltipScore);
            }
          },
          onSelect(i) {
            selection.setLasso([]);
            selection.select(i);
          },
          onLasso: (rows) => selection.setLasso(rows),
          onView: placeMarkers,
        });
        plot.append(markers);
      } catch (e) {
        showError(plot, e);
        clock.nothingToDraw();
        return;
      }
    }
    const note = pointCountNote(run.n, scatter.capacity);
    count.textContent = note.text;
    count.className = note.partial ? 'error' : 'note';
    count.setAttribute('role', note.partial ? 'alert' : 'status');
    drawn = { model, points: toNdc(projection.points, note.drawn, aspectOf(plot)), labels: labelColouring(note.drawn, run.labels, (l) => run.manifest.data.labelNames?.[l] ?? String(l)) };
    fillColourOptions(model);
    const firstRender = clock.timings.scatterFirstRenderMs === undefined ? () => clock.recordScatterDrawn() : () => undefined;
    await applyColour(firstRender);
  };
  const report = (e: unknown) => {
    showError(plot, e);
    clock.nothingToDraw();
  };
  modelSelect.addEventListener('change', () => void build().catch(report));
  colourSelect.addEventListener('change', () => void applyColour().catch(report));
  lassoMode.addEventListener('click', () => {
    const on = lassoMode.getAttribute('aria-pressed') !== 'true';
    lassoMode.setAttribute('aria-pressed', String(on));
    scatter?.setLassoMode(on);
  });
  selection.onChange(highlight);
  selection.onLassoChange(highlight);
  // Build once the section is in the document so the canvas has a size.
  queueMicrotask(() => void build().catch(report));
  return { section, scatter: () => scatter, stats: () => scatter?.stats };
}
