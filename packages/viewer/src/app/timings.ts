/** Figures the page measures about itself (read by the browser tests, shown nowhere). */
export interface ViewerTimings {
  /** ms from navigation start until run.json, the points and the codes were loaded. */
  runLoadedMs?: number;
  /** ms from navigation start until the scatter first drew its points. */
  scatterFirstRenderMs?: number;
  /** ms per live interpolation decode, one entry per slider step. */
  interpolationDecodeMs: number[];
  /** Model kind used for the interpolation decodes. */
  interpolationModel?: string;
}

export const timings: ViewerTimings = { interpolationDecodeMs: [] };

let markDrawn: () => void = () => undefined;
/** Resolves once the scatter has drawn; heavy work (tfjs, plugins) starts after it. */
export const scatterDrawn = new Promise<void>((resolve) => (markDrawn = resolve));

export function recordScatterDrawn(): void {
  if (timings.scatterFirstRenderMs !== undefined) return;
  timings.scatterFirstRenderMs = performance.now();
  markDrawn();
}
