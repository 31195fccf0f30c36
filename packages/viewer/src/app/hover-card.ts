import type { RunData } from '@latentkit/run';
import { el } from './dom.js';
import { drawSample } from './images.js';
import { isImageRun, pointFields, type PointScore } from './point-fields.js';
import { pointImage } from './view-run.js';

/**
 * The card shown beside the hovered point: the image (for image runs) over the row's fields (row number,
 * label, split, score). Tables and embeddings have no picture, so they get the fields only.
 */
export class HoverCard {
  readonly element: HTMLElement;
  readonly #run: RunData;
  readonly #thumb: HTMLCanvasElement | undefined;
  readonly #fields: HTMLElement;

  constructor(run: RunData) {
    this.#run = run;
    this.#thumb = isImageRun(run) ? el('canvas', { class: 'sample', 'aria-hidden': 'true' }) : undefined;
    this.#fields = el('dl', { class: 'fields' });
    this.element = el('div', { class: 'tooltip', id: 'tooltip', role: 'tooltip', hidden: '' }, ...(this.#thumb ? [this.#thumb] : []), this.#fields);
  }

  /** Shows point i near client position (x, y). */
  show(i: number, x: number, y: number, score?: PointScore): void {
    if (this.#thumb) drawSample(this.#thumb, pointImage(this.#run, i), this.#run.imageShape, 255);
    this.#fields.replaceChildren(...pointFields(this.#run, i, score).flatMap(([name, value]) => [el('dt', { text: name }), el('dd', { text: value })]));
    this.element.dataset.row = String(i);
    this.element.hidden = false;
    const box = this.element.getBoundingClientRect();
    this.element.style.left = `${Math.max(4, Math.min(x + 14, window.innerWidth - box.width - 4))}px`;
    this.element.style.top = `${Math.max(4, y - box.height - 6)}px`;
  }

  hide(): void {
    this.element.hidden = true;
  }
}
