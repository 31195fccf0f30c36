/** Figures the page measures about itself (read by the browser tests, shown nowhere). */
export interface ViewerTimings {
  /** ms from navigation start until run.json, the points and the codes were loaded. */
  runLoadedMs?: number;
  /** ms from navigation start until the scatter first drew its points. */
  scatterFirstRenderMs?: number;
  /** ms per live interpolation decode, one entry per slider step. */
  interpolationDecodeMs: number[];
  /** Model used for the interpolation decodes, e.g. "conv-ae d=16". */
  interpolationModel?: string;
}

/** One viewer's timings, and the moment its first screen is up (heavy work — tfjs, plugins — starts after it). */
export class ViewerClock {
  readonly timings: ViewerTimings = { interpolationDecodeMs: [] };
  readonly #firstScreen: Promise<void>;
  #markFirstScreen!: () => void;

  constructor() {
    this.#firstScreen = new Promise<void>((resolve) => (this.#markFirstScreen = resolve));
  }

  /** Resolves once the scatter has drawn, or once it is known there is nothing to draw. */
  get firstScreen(): Promise<void> {
    return this.#firstScreen;
  }

  recordScatterDrawn(): void {
    if (this.timings.scatterFirstRenderMs === undefined) this.timings.scatterFirstRenderMs = performance.now();
    this.#markFirstScreen();
  }

  /** No scatter will draw (no model has codes): start the rest now. */
  nothingToDraw(): void {
    this.#markFirstScreen();
  }
}
