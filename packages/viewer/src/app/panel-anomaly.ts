import { labelName, type RunData, type RunModelData, type RunScores } from '@latentkit/run';
import { el, labelled, panel, select } from './dom.js';
import { figure, sampleCanvas } from './images.js';
import type { Selection } from './selection.js';
import { pointImage } from './view-run.js';

const SHOWN = 24;

const SCORE_NAMES: readonly [keyof RunScores, string][] = [
  ['combined', 'combined'],
  ['reconstruction', 'reconstruction error'],
  ['density', 'latent density (−log p)'],
];

/** The anomaly scores a model's latent.json holds for every test point (a model that cannot decode has no reconstruction scores). */
export function availableScores(model: RunModelData, tests: number): [keyof RunScores, string][] {
  const scores = model.latent?.scores;
  return SCORE_NAMES.filter(([key]) => scores?.[key]?.length === tests && tests > 0);
}

/**
 * Test points ranked by anomaly score (most unusual first), with their images; scores offered by what each model
 * has. While the scatter has a lasso selection, only the test points inside it are ranked.
 */
export function anomalyPanel(run: RunData, selection: Selection): HTMLElement {
  const { section, body } = panel('anomaly-panel', 'Most unusual test points');
  const tests = run.testIndices.length;
  const scored = run.models.filter((m) => availableScores(m, tests).length > 0);
  if (scored.length === 0) {
    body.append(el('p', { class: 'note', text: 'No model in this run has anomaly scores for its test points.' }));
    return section;
  }
  const modelSelect = select('Model whose scores rank the points', scored.map((m) => [m.info.dir, m.info.displayName]), 'anomaly-model');
  const scoreSelect = select('Anomaly score', [], 'anomaly-score');
  const list = el('ol', { class: 'anomalies', id: 'anomaly-list' });
  const scope = el('p', { class: 'note', id: 'anomaly-scope', 'aria-live': 'polite' });
  body.append(el('div', { class: 'controls' }, labelled('Model', modelSelect), labelled('Score', scoreSelect)), scope, list);
  const current = () => scored.find((m) => m.info.dir === modelSelect.value) ?? scored[0]!;

  const render = () => {
    const scores = current().latent!.scores![scoreSelect.value as keyof RunScores]!;
    const inLasso = lassoMask(run.n, selection.lasso);
    const candidates = Array.from(scores.keys()).filter((k) => !inLasso || inLasso[run.testIndices[k]!] === 1);
    scope.textContent = inLasso ? `Ranked within the lasso selection: ${candidates.length} of its rows are test points.` : `Ranked over all ${tests} test points.`;
    const order = candidates.sort((a, b) => scores[b]! - scores[a]!).slice(0, SHOWN);
    list.replaceChildren(
      ...order.map((k) => {
        const i = run.testIndices[k]!;
        const button = el('button', { type: 'button', class: 'plain', 'aria-label': `Select test point #${i}, score ${scores[k]!.toFixed(3)}` });
        button.append(figure(sampleCanvas(pointImage(run, i), run.imageShape, { max: 255, size: 42 }), `${scores[k]!.toFixed(2)} ${labelName(run, i)}`));
        button.addEventListener('click', () => selection.select(i));
        return el('li', {}, button);
      }),
    );
  };
  const fillScores = () => {
    const keep = scoreSelect.value;
    const options = availableScores(current(), tests);
    scoreSelect.replaceChildren(...options.map(([value, text]) => el('option', { value, text })));
    if (options.some(([value]) => value === keep)) scoreSelect.value = keep;
    render();
  };
  modelSelect.addEventListener('change', fillScores);
  scoreSelect.addEventListener('change', render);
  selection.onLassoChange(render);
  fillScores();
  return section;
}

/** 1 for every row in the lasso, or undefined when there is no lasso selection. */
function lassoMask(n: number, rows: Int32Array): Uint8Array | undefined {
  if (rows.length === 0) return undefined;
  const mask = new Uint8Array(n);
  for (const i of rows) mask[i] = 1;
  return mask;
}
