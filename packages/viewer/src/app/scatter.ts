import { LatentkitError } from '@latentkit/core';
import createScatterplot from 'regl-scatterplot';
import { scatterCapacity } from './scatter-capacity.js';
import { nearestPoint, neighbourInDirection, type NdcPoints } from './scatter-layout.js';

type Scatterplot = ReturnType<typeof createScatterplot>;

export interface ScatterCallbacks {
  /** The point under the cursor (or the keyboard focus) changed; null when none. */
  onHover?(index: number | null): void;
  /** A click (or Enter) on one point. */
  onSelect?(index: number): void;
  /** A lasso closed around these rows; an empty list when the selection was cleared (double-click, Escape). */
  onLasso?(rows: readonly number[]): void;
  /** The view moved (pan, zoom, resize): anything placed over points must follow. */
  onView?(): void;
}

/** Per-point values the colour can follow: a label category (valueA) and a score bin (valueB), both integers. */
export interface ScatterValues {
  readonly category: Float32Array;
  readonly bin: Float32Array;
}

/** Which value colours the points, with which palette, and (optionally) the order points are drawn in. */
export interface ScatterColours {
  readonly by: 'category' | 'bin';
  readonly colours: readonly string[];
  readonly drawOrder?: Int32Array;
}

/** Facts about the scatter for the page, the browser tests and the bench. */
export interface ScatterStats {
  readonly pointsDrawn: number;
  readonly capacity: number;
  /** WebGL's renderer string, e.g. "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device …))". */
  readonly glRenderer: string;
  /** Frames the scatter has rendered so far (each pan or zoom step is one). */
  readonly framesDrawn: number;
}

const KEY_DIRECTIONS: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };

/** Smaller dots as the plot fills up, so dense regions keep their shape. */
function pointSizeFor(n: number): number {
  return n <= 20_000 ? 4 : n <= 200_000 ? 3 : 2;
}

/**
 * The latent scatter on WebGL (regl-scatterplot): wheel zooms around the cursor, drag pans, shift-drag (or
 * the lasso mode) draws a lasso, hover reports the point under the cursor, click selects it. Keyboard: arrow
 * keys walk to the nearest point in that direction, Enter selects, + and − zoom, 0 resets the view, Escape
 * clears the lasso selection.
 */
export class LatentScatter {
  readonly canvas: HTMLCanvasElement;
  readonly capacity: number;
  readonly #plot: Scatterplot;
  readonly #callbacks: ScatterCallbacks;
  readonly #glRenderer: string;
  #points: NdcPoints = { x: new Float32Array(0), y: new Float32Array(0) };
  #spatialIndex: ArrayBuffer | undefined;
  #hovered: number | null = null;
  #selected: readonly number[] = [];
  #lassoing = false;
  #frames = 0;
  #onFirstFrame: (() => void) | undefined;

  /** Creates the canvas in `container`; throws E_UNSUPPORTED (one line for the page) when the browser has no WebGL. */
  constructor(container: HTMLElement, callbacks: ScatterCallbacks) {
    this.#callbacks = callbacks;
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'scatter';
    this.canvas.tabIndex = 0;
    this.canvas.setAttribute('role', 'application');
    container.append(this.canvas);
    const { width, height } = this.#size(container);
    try {
      this.#plot = createScatterplot({
        canvas: this.canvas,
        width,
        height,
        backgroundColor: '#ffffff',
        pointColorActive: '#111111',
        pointColorHover: '#d00000',
        pointOutlineWidth: 2,
        pointSizeSelected: 2,
        lassoColor: '#1f6feb',
        lassoMinDelay: 10,
        lassoMinDist: 2,
        // No rotation: the view is then one scale and a shift, which the keyboard walk relies on.
        actionKeyMap: { lasso: 'shift', merge: 'cmd', remove: 'alt' },
        // The library's index worker gets a million [x, y] arrays by structured clone: building the index
        // here instead made the first draw of 1M points 3× faster (1.3 s against 4 s, software GL).
        spatialIndexUseWorker: false,
      });
    } catch (e) {
      this.canvas.remove();
      throw new LatentkitError('E_UNSUPPORTED', `this browser gives the page no WebGL, which the latent scatter draws with (${e instanceof Error ? e.message : String(e)})`);
    }
    const regl = this.#plot.get('regl');
    this.capacity = scatterCapacity(regl.limits.maxTextureSize);
    this.#glRenderer = rendererName((regl as unknown as { _gl: WebGLRenderingContext })._gl);
    this.#listen(container);
  }

  /** Draws the points (replacing any before) and resolves once they are on screen. */
  async draw(points: NdcPoints, values: ScatterValues, colours: ScatterColours, onFirstFrame?: () => void): Promise<void> {
    const n = points.x.length;
    if (n > this.capacity) throw new LatentkitError('E_SHAPE', `the scatter holds at most ${this.capacity} points, got ${n}`);
    const reuseIndex = this.#spatialIndex !== undefined && this.#points === points;
    this.#points = points;
    this.#onFirstFrame = onFirstFrame;
    this.canvas.setAttribute(
      'aria-label',
      `Latent space scatter of ${n} points. Arrow keys move the focus between points, Enter selects, plus and minus zoom, 0 resets the view, shift-drag draws a lasso, Escape clears it.`,
    );
    await this.#plot.set({ pointSize: pointSizeFor(n), opacityBy: n > 50_000 ? 'density' : null, opacity: 0.85 });
    await this.#plot.draw(
      { x: points.x, y: points.y, z: values.category, w: values.bin },
      // Both values are integer classes; the same x/y reuse the spatial index instead of rebuilding it.
      { zDataType: 'categorical', wDataType: 'categorical', ...(reuseIndex ? { spatialIndex: this.#spatialIndex } : {}) },
    );
    this.#spatialIndex = this.#plot.get('spatialIndex');
    await this.setColours(colours);
    this.setSelected(this.#selected);
  }

  /** Recolours without redrawing the points: `by` picks the category or the bin value drawn at `draw`. */
  async setColours(colours: ScatterColours): Promise<void> {
    await this.#plot.set({
      colorBy: colours.by === 'category' ? 'valueA' : 'valueB',
      pointColor: [...colours.colours],
      // regl-scatterplot reads the order by index; a typed array avoids a million-element copy.
      pointOrder: (colours.drawOrder ?? null) as number[] | null,
    });
  }

  /** Screen position (client coordinates) of point i, e.g. to place a tooltip or for tests. */
  clientPosition(i: number): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    const [sx, sy] = this.#plot.getScreenPosition(i) ?? [Number.NaN, Number.NaN];
    return { x: r.left + sx, y: r.top + sy };
  }

  /** Highlights these points (the A/B pair or the lasso rows) without reporting a selection back. */
  setSelected(indices: ArrayLike<number>): void {
    this.#selected = Array.from(indices);
    if (this.#points.x.length === 0) return;
    if (this.#selected.length === 0) this.#plot.deselect({ preventEvent: true });
    else this.#plot.select(this.#selected as number[], { preventEvent: true });
  }

  /** Lasso mode: a plain drag draws a lasso instead of panning (shift-drag always lassoes). */
  setLassoMode(on: boolean): void {
    void this.#plot.set({ mouseMode: on ? 'lasso' : 'panZoom' });
  }

  resetView(): void {
    void this.#plot.reset();
  }

  /** Multiplies the zoom by `factor` around the view's centre. */
  zoom(factor: number): void {
    void this.#plot.zoomToLocation(this.#plot.get('cameraTarget'), this.#plot.get('cameraDistance') / factor);
  }

  get stats(): ScatterStats {
    return { pointsDrawn: this.#points.x.length, capacity: this.capacity, glRenderer: this.#glRenderer, framesDrawn: this.#frames };
  }

  #size(container: HTMLElement): { width: number; height: number } {
    const r = container.getBoundingClientRect();
    return { width: Math.max(1, Math.round(r.width)), height: Math.max(1, Math.round(r.height)) };
  }

  #listen(container: HTMLElement): void {
    const plot = this.#plot;
    plot.subscribe('pointOver', (i: number) => {
      this.#hovered = i;
      this.#callbacks.onHover?.(i);
    });
    plot.subscribe('pointOut', () => {
      this.#hovered = null;
      this.#callbacks.onHover?.(null);
    });
    plot.subscribe('lassoStart', () => (this.#lassoing = true));
    plot.subscribe('select', ({ points }: { points: number[] }) => {
      if (this.#lassoing) {
        this.#lassoing = false;
        this.#callbacks.onLasso?.(points);
      } else if (points.length === 1) this.#callbacks.onSelect?.(points[0]!);
    });
    plot.subscribe('deselect', () => {
      this.#lassoing = false;
      this.#callbacks.onLasso?.([]);
    });
    plot.subscribe('view', () => this.#callbacks.onView?.());
    plot.subscribe('drawing', () => {
      if (this.#points.x.length === 0) return;
      this.#frames++;
      const first = this.#onFirstFrame;
      this.#onFirstFrame = undefined;
      first?.();
    });
    new ResizeObserver(() => {
      void plot.set(this.#size(container)).then(() => this.#callbacks.onView?.());
    }).observe(container);
    this.canvas.addEventListener('keydown', (e) => this.#key(e));
  }

  #key(e: KeyboardEvent): void {
    const dir = KEY_DIRECTIONS[e.key];
    const n = this.#points.x.length;
    if (dir && n > 0) {
      e.preventDefault();
      const from = this.#hovered ?? this.#selected[this.#selected.length - 1];
      const [cx, cy] = this.#plot.get('cameraTarget');
      const next = from === undefined ? nearestPoint(this.#points, cx!, cy!) : (neighbourInDirection(this.#points, from, dir[0], dir[1]) ?? from);
      if (next !== null) this.#plot.hover(next);
    } else if (e.key === 'Enter' || e.key === ' ') {
      if (this.#hovered !== null) {
        e.preventDefault();
        this.#callbacks.onSelect?.(this.#hovered);
      }
    } else if (e.key === '+' || e.key === '=') this.zoom(1.25);
    else if (e.key === '-') this.zoom(0.8);
    else if (e.key === '0') this.resetView();
  }
}

function rendererName(gl: WebGLRenderingContext | undefined): string {
  if (!gl) return 'unknown';
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
}
