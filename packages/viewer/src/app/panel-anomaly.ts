import { el, labelled, panel, select } from './dom.js';
import { figure, sampleCanvas } from './images.js';
import { labelName, type RunData, type RunScores } from './run-data.js';

const SHOWN = 24;

/** Test points ranked by anomaly score (most unusual first), with their images. */
export function anomalyPanel(run: RunData, onPick: (index: number) => void): HTMLElement {
  const { section, body } = panel('anomaly-panel', 'Most unusual test points');
  const scored = run.models.filter((m) => m.latent?.scores?.combined.length === run.testIndices.length);
  if (scored.length === 0) {
    body.append(el('p', { class: 'note', text: 'No model in this run has anomaly scores for its test points.' }));
    return section;
  }
  const modelSelect = select('Model whose scores rank the points', scored.map((m) => [m.info.dir, m.info.displayName]), 'anomaly-model');
  const scoreSelect = select('Anomaly score', [['combined', 'combined'], ['reconstruction', 'reconstruction error'], ['density', 'latent density (−log p)']], 'anomaly-score');
  const list = el('ol', { class: 'anomalies', id: 'anomaly-list' });
  body.append(el('div', { class: 'controls' }, labelled('Model', modelSelect), labelled('Score', scoreSelect)), list);

  const render = () => {
    const model = scored.find((m) => m.info.dir === modelSelect.value)!;
    const scores = model.latent!.scores![scoreSelect.value as keyof RunScores];
    const order = Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]!).slice(0, SHOWN);
    list.replaceChildren(
      ...order.map((k) => {
        const i = run.testIndices[k]!;
        const button = el('button', { type: 'button', class: 'plain', 'aria-label': `Select test point #${i}, score ${scores[k]!.toFixed(3)}` });
        button.append(figure(sampleCanvas(run.images.subarray(i * run.features, (i + 1) * run.features), run.imageShape, { max: 255, size: 42 }), `${scores[k]!.toFixed(2)} ${labelName(run, i)}`));
        button.addEventListener('click', () => onPick(i));
        return el('li', {}, button);
      }),
    );
  };
  modelSelect.addEventListener('change', render);
  scoreSelect.addEventListener('change', render);
  render();
  return section;
}
