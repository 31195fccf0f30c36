import { labelName, type RunData } from '@latentkit/run';
import { el } from './dom.js';
import { pointSummary, type PointScore } from './point-fields.js';
import type { Selection } from './selection.js';

/** Rows listed under the scatter; the count covers the whole selection. */
const LISTED = 50;

/**
 * What the lasso selected: how many rows (train/test, and per label), the first rows with their fields (each a
 * button that makes it the A/B selection), and a button that clears the lasso.
 */
export function lassoSummary(run: RunData, selection: Selection, score: () => PointScore | undefined): HTMLElement {
  const count = el('p', { id: 'lasso-count', 'aria-live': 'polite', text: 'No lasso selection. Shift-drag (or turn on Lasso) to select points.' });
  const clear = el('button', { type: 'button', id: 'lasso-clear', hidden: '', text: 'Clear lasso' });
  const byLabel = el('p', { class: 'note', id: 'lasso-labels' });
  const rows = el('ol', { class: 'lasso-rows', id: 'lasso-rows' });
  const section = el('div', { class: 'lasso-summary', id: 'lasso-summary' }, el('div', { class: 'controls' }, count, clear), byLabel, rows);
  clear.addEventListener('click', () => selection.setLasso([]));

  selection.onLassoChange((picked) => {
    clear.hidden = picked.length === 0;
    if (picked.length === 0) {
      count.textContent = 'No lasso selection. Shift-drag (or turn on Lasso) to select points.';
      byLabel.textContent = '';
      rows.replaceChildren();
      return;
    }
    let tests = 0;
    const labels = new Map<string, number>();
    for (const i of picked) {
      if (run.split[i] === 1) tests++;
      if (run.labels) labels.set(labelName(run, i), (labels.get(labelName(run, i)) ?? 0) + 1);
    }
    const fmt = (v: number) => v.toLocaleString('en-US');
    count.textContent = `${fmt(picked.length)} ${picked.length === 1 ? 'row' : 'rows'} in the lasso (${fmt(picked.length - tests)} train, ${fmt(tests)} test)`;
    byLabel.textContent = run.labels ? `By label: ${[...labels].sort((a, b) => b[1] - a[1]).map(([name, k]) => `${name} ${fmt(k)}`).join(', ')}` : '';
    const s = score();
    rows.replaceChildren(
      ...Array.from(picked.subarray(0, LISTED), (i) => {
        const button = el('button', { type: 'button', class: 'plain', 'data-row': String(i), text: pointSummary(run, i, s) });
        button.addEventListener('click', () => selection.select(i));
        return el('li', {}, button);
      }),
    );
    if (picked.length > LISTED) rows.append(el('li', { class: 'note', text: `… and ${fmt(picked.length - LISTED)} more` }));
  });
  return section;
}
