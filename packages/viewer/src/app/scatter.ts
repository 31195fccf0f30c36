import type { Matrix } from '@latentkit/core';
import { categoricalColor } from '@latentkit/viz';

export interface ScatterCallbacks {
  /** The point under the cursor (or the keyboard focus) changed; null when none. */
  onHover?(index: number | null, clientX: number, clientY: number): void;
  onSelect?(index: number): void;
}

interface View {
  scale: number;
  offsetX: number;
  offsetY: number;
}

const HIT_RADIUS = 8;
const DRAG_THRESHOLD = 3;

/**
 * A canvas scatter of 2-D points coloured by label: wheel zooms around the cursor, drag pans, hover
 * reports the nearest point, click selects it. Arrow keys walk the selection to the nearest point in
 * that direction, + and − zoom, 0 resets the view. Drawing is batched per colour on animation frames.
 */
export class LatentScatter {
  readonly canvas: HTMLCanvasElement;
  readonly #points: Matrix;
  readonly #byColour: Map<string, number[]>;
  readonly #callbacks: ScatterCallbacks;
  #view: View = { scale: 1, offsetX: 0, offsetY: 0 };
  #cssWidth = 0;
  #cssHeight = 0;
  #selected: number[] = [];
  #hovered: number | null = null;
  #frame = 0;
  #drag: { x: number; y: number; moved: boolean } | null = null;
  #firstRender: (() => void) | undefined;

  constructor(container: HTMLElement, points: Matrix, labels: Int32Array | undefined, callbacks: ScatterCallbacks, onFirstRender?: () => void) {
    this.#points = points;
    this.#callbacks = callbacks;
    this.#firstRender = onFirstRender;
    this.#byColour = new Map();
    for (let i = 0; i < points.rows; i++) {
      const colour = categoricalColor(labels ? labels[i]! : 0);
      let list = this.#byColour.get(colour);
      if (!list) this.#byColour.set(colour, (list = []));
      list.push(i);
    }
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'scatter';
    this.canvas.tabIndex = 0;
    this.canvas.setAttribute('role', 'application');
    this.canvas.setAttribute(
      'aria-label',
      `Latent space scatter of ${points.rows} points. Arrow keys move the selection, plus and minus zoom, 0 resets the view, Enter selects.`,
    );
    container.append(this.canvas);
    this.#listen();
    new ResizeObserver(() => this.#resize()).observe(container);
    this.#resize();
  }

  /** Screen position (client coordinates) of point i, e.g. to place a tooltip or for tests. */
  clientPosition(i: number): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    const [sx, sy] = this.#toScreen(i);
    return { x: r.left + sx, y: r.top + sy };
  }

  /** Marks points as selected (drawn ringed, most recent last). */
  setSelected(indices: readonly number[]): void {
    this.#selected = [...indices];
    this.#schedule();
  }

  resetView(): void {
    const { data, rows } = this.#points;
    let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    for (let i = 0; i < rows; i++) {
      const x = data[2 * i]!, y = data[2 * i + 1]!;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    const pad = 16;
    const spanX = Math.max(maxX - minX, 1e-9);
    const spanY = Math.max(maxY - minY, 1e-9);
    const scale = Math.min((this.#cssWidth - 2 * pad) / spanX, (this.#cssHeight - 2 * pad) / spanY);
    this.#view = {
      scale: Math.max(scale, 1e-9),
      offsetX: this.#cssWidth / 2 - ((minX + maxX) / 2) * scale,
      offsetY: this.#cssHeight / 2 + ((minY + maxY) / 2) * scale,
    };
    this.#schedule();
  }

  /** Multiplies the zoom by `factor` keeping the screen point (sx, sy) fixed. */
  zoom(factor: number, sx = this.#cssWidth / 2, sy = this.#cssHeight / 2): void {
    const v = this.#view;
    v.offsetX = sx - (sx - v.offsetX) * factor;
    v.offsetY = sy - (sy - v.offsetY) * factor;
    v.scale *= factor;
    this.#schedule();
  }

  #toScreen(i: number): [number, number] {
    const v = this.#view;
    return [this.#points.data[2 * i]! * v.scale + v.offsetX, -this.#points.data[2 * i + 1]! * v.scale + v.offsetY];
  }

  #nearest(sx: number, sy: number, radius = HIT_RADIUS): number | null {
    // Runs on every pointer move over up to ~10k points: no per-point allocation.
    const { scale, offsetX, offsetY } = this.#view;
    const data = this.#points.data;
    let best: number | null = null;
    let bestD = radius * radius;
    for (let i = 0; i < this.#points.rows; i++) {
      const x = data[2 * i]! * scale + offsetX;
      const y = -data[2 * i + 1]! * scale + offsetY;
      const d = (x - sx) ** 2 + (y - sy) ** 2;
      if (d <= bestD) {
        bestD = d;
        best = i;
      }
    }
    return best;
  }

  /** Nearest point from `from` whose direction lies within 45° of (dx, dy) on screen. */
  #neighbourInDirection(from: number, dx: number, dy: number): number | null {
    const [fx, fy] = this.#toScreen(from);
    let best: number | null = null;
    let bestD = Infinity;
    for (let i = 0; i < this.#points.rows; i++) {
      if (i === from) continue;
      const [x, y] = this.#toScreen(i);
      const ex = x - fx, ey = y - fy;
      const along = ex * dx + ey * dy;
      if (along <= 0 || along * along < 0.5 * (ex * ex + ey * ey)) continue;
      const d = ex * ex + ey * ey;
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    return best;
  }

  #listen(): void {
    const c = this.canvas;
    const local = (e: MouseEvent): [number, number] => {
      const r = c.getBoundingClientRect();
      return [e.clientX - r.left, e.clientY - r.top];
    };
    c.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        const [sx, sy] = local(e);
        this.zoom(Math.exp(-e.deltaY * 0.0015), sx, sy);
      },
      { passive: false },
    );
    c.addEventListener('pointerdown', (e) => {
      this.#drag = { x: e.clientX, y: e.clientY, moved: false };
      c.setPointerCapture(e.pointerId);
    });
    c.addEventListener('pointermove', (e) => {
      const drag = this.#drag;
      if (drag && e.buttons) {
        const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
        if (drag.moved || Math.abs(dx) + Math.abs(dy) > DRAG_THRESHOLD) {
          drag.moved = true;
          this.#view.offsetX += dx;
          this.#view.offsetY += dy;
          drag.x = e.clientX;
          drag.y = e.clientY;
          this.#schedule();
        }
        return;
      }
      const [sx, sy] = local(e);
      this.#hover(this.#nearest(sx, sy), e.clientX, e.clientY);
    });
    c.addEventListener('pointerup', (e) => {
      const drag = this.#drag;
      this.#drag = null;
      if (drag?.moved) return;
      const [sx, sy] = local(e);
      const hit = this.#nearest(sx, sy);
      if (hit !== null) this.#callbacks.onSelect?.(hit);
    });
    c.addEventListener('pointerleave', () => this.#hover(null, 0, 0));
    c.addEventListener('keydown', (e) => this.#key(e));
  }

  #hover(index: number | null, clientX: number, clientY: number): void {
    if (index === this.#hovered && index === null) return;
    this.#hovered = index;
    this.#callbacks.onHover?.(index, clientX, clientY);
    this.#schedule();
  }

  #key(e: KeyboardEvent): void {
    const directions: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    const dir = directions[e.key];
    if (dir) {
      e.preventDefault();
      const current = this.#hovered ?? this.#selected[this.#selected.length - 1] ?? this.#nearest(this.#cssWidth / 2, this.#cssHeight / 2, Infinity);
      if (current === null) return;
      const next = this.#hovered === null && this.#selected.length === 0 ? current : (this.#neighbourInDirection(current, dir[0], dir[1]) ?? current);
      const p = this.clientPosition(next);
      this.#hover(next, p.x, p.y);
    } else if (e.key === 'Enter' || e.key === ' ') {
      if (this.#hovered !== null) {
        e.preventDefault();
        this.#callbacks.onSelect?.(this.#hovered);
      }
    } else if (e.key === '+' || e.key === '=') this.zoom(1.25);
    else if (e.key === '-') this.zoom(0.8);
    else if (e.key === '0') this.resetView();
    else if (e.key === 'Escape') this.#hover(null, 0, 0);
  }

  #resize(): void {
    const r = this.canvas.getBoundingClientRect();
    const first = this.#cssWidth === 0;
    const width = Math.max(1, Math.round(r.width));
    const height = Math.max(1, Math.round(r.height));
    if (width === this.#cssWidth && height === this.#cssHeight) return;
    this.#cssWidth = width;
    this.#cssHeight = height;
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(width * dpr);
    this.canvas.height = Math.round(height * dpr);
    if (first) this.resetView();
    else this.#schedule();
  }

  #schedule(): void {
    if (this.#frame) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.#draw();
    });
  }

  #draw(): void {
    const ctx = this.canvas.getContext('2d')!;
    const dpr = this.canvas.width / Math.max(1, this.#cssWidth);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, this.#cssWidth, this.#cssHeight);
    const size = 3;
    for (const [colour, indices] of this.#byColour) {
      ctx.fillStyle = colour;
      ctx.globalAlpha = 0.75;
      const { scale, offsetX, offsetY } = this.#view;
      const data = this.#points.data;
      for (const i of indices) {
        const x = data[2 * i]! * scale + offsetX;
        const y = -data[2 * i + 1]! * scale + offsetY;
        if (x < -size || y < -size || x > this.#cssWidth + size || y > this.#cssHeight + size) continue;
        ctx.fillRect(x - size / 2, y - size / 2, size, size);
      }
    }
    ctx.globalAlpha = 1;
    const ring = (i: number, radius: number, colour: string, label?: string) => {
      const [x, y] = this.#toScreen(i);
      ctx.beginPath();
      ctx.arc(x, y, radius, 0, 2 * Math.PI);
      ctx.lineWidth = 2;
      ctx.strokeStyle = colour;
      ctx.stroke();
      if (label) {
        ctx.fillStyle = colour;
        ctx.font = 'bold 12px system-ui, sans-serif';
        ctx.fillText(label, x + radius + 2, y - radius);
      }
    };
    this.#selected.forEach((i, k) => ring(i, 7, '#111', this.#selected.length > 1 ? (k === 0 ? 'A' : 'B') : undefined));
    if (this.#hovered !== null) ring(this.#hovered, 5, '#d00');
    if (this.#firstRender) {
      const done = this.#firstRender;
      this.#firstRender = undefined;
      done();
    }
  }
}
