import type { ReducerRegistry } from '@latentkit/core';
import { el, showError } from './dom.js';
import { missingPluginNotices } from './missing-plugins.js';
import { ModelCache } from './models.js';
import { anomalyPanel } from './panel-anomaly.js';
import { interpolationPanel } from './panel-interpolation.js';
import { reconstructionPanel } from './panel-reconstruction.js';
import { restorationPanel } from './panel-restoration.js';
import { samplingPanel } from './panel-sampling.js';
import { scatterPanel } from './panel-scatter.js';
import { trainPanel } from './panel-train.js';
import { variancePanel } from './panel-variance.js';
import type { PluginModule } from './plugin-list.js';
import type { ViewerRegistry } from './plugin-modules.js';
import type { ScatterStats } from './scatter.js';
import { Selection } from './selection.js';
import { ViewerClock, type ViewerTimings } from './timings.js';
import { fetchRun, modelUrl, normaliseRunUrl, type ViewerRun } from './view-run.js';
import './style.css';

export interface MountViewerOptions {
  /** The run folder's URL (absolute, or relative to the page). */
  readonly runUrl: string;
  /**
   * Third-party reducer plugins as ES modules (e.g. a server's /plugins/<kind>.js), loaded next to the
   * built-in ones. Their shared imports (@latentkit/core, @tensorflow/tfjs, …) resolve through the page's
   * import map.
   */
  readonly plugins?: readonly PluginModule[];
}

/** What a mounted viewer exposes for scripting and its browser tests. */
export interface ViewerHandle {
  readonly run: ViewerRun;
  readonly selection: Selection;
  readonly timings: ViewerTimings;
  /** The reducers the viewer has (built-in and plugins); resolves after the scatter has drawn. */
  readonly registry: Promise<ReducerRegistry>;
  /** Client coordinates of point i in the scatter. */
  pointPosition(i: number): { x: number; y: number } | undefined;
  /** Points drawn, the scatter's capacity, WebGL's renderer string and frames drawn so far (for tests and the bench). */
  scatterStats(): ScatterStats | undefined;
}

/**
 * Renders the viewer for one run into `root`: a header with the run's description and any notices (plugins
 * that failed to load, models whose plugin is missing), then the panels. Resolves once the run is loaded and
 * the panels are in place (`root.dataset.ready` is then "true"); a run that cannot be loaded rejects, after
 * showing the reason in the header.
 */
export async function mountViewer(root: HTMLElement, options: MountViewerOptions): Promise<ViewerHandle> {
  const info = el('p', { id: 'run-info', 'aria-live': 'polite', text: 'Loading run…' });
  const notices = el('ul', { id: 'viewer-notices', class: 'notices', 'aria-live': 'polite' });
  const grid = el('main', { id: 'app', class: 'grid', 'aria-busy': 'true' });
  root.replaceChildren(el('header', { class: 'top' }, el('h1', {}, 'latentkit ', el('span', { text: 'latent-space viewer' })), info, notices), grid);

  const runUrl = normaliseRunUrl(options.runUrl, document.baseURI);
  let run: ViewerRun;
  try {
    run = await fetchRun(runUrl);
  } catch (e) {
    showError(info, e);
    grid.setAttribute('aria-busy', 'false');
    throw e;
  }
  const clock = new ViewerClock();
  clock.timings.runLoadedMs = performance.now();
  const d = run.manifest.data;
  info.textContent = `${d.name}: ${run.n} points (${run.testIndices.length} test), ${run.models.length} models: ${run.models.map((m) => `${m.info.displayName} d=${m.info.latentDim}`).join(', ')}`;

  // Absolute module URLs: the training worker resolves nothing against the page.
  const plugins = (options.plugins ?? []).map((p) => ({ ...p, url: new URL(p.url, document.baseURI).href }));
  // The plugins (and tfjs) load once the scatter is on screen.
  const loaded = clock.firstScreen.then(() => loadRegistry(plugins));
  const registry = loaded.then((r) => r.registry);
  void loaded.then(async ({ registry: reg, problems }) => {
    const missing = await missingPluginNotices(run.models, reg, (m) => modelUrl(run, m));
    for (const line of [...problems, ...missing]) notices.append(el('li', { class: 'error', text: line }));
  });

  const cache = new ModelCache(run, registry);
  const selection = new Selection();
  const scatter = scatterPanel(run, selection, clock);
  grid.append(
    scatter.section,
    reconstructionPanel(run, cache, selection),
    restorationPanel(run, cache, selection),
    interpolationPanel(run, cache, selection, clock.timings),
    samplingPanel(run, cache),
    anomalyPanel(run, selection),
    variancePanel(run),
    trainPanel(run, registry, plugins),
  );
  grid.setAttribute('aria-busy', 'false');
  root.dataset.ready = 'true';
  return { run, selection, timings: clock.timings, registry, pointPosition: (i) => scatter.scatter()?.clientPosition(i), scatterStats: () => scatter.stats() };
}

/** The registry lives in its own chunk: the built-in plugins and tfjs download only after the first screen. */
async function loadRegistry(plugins: readonly PluginModule[]): Promise<ViewerRegistry> {
  const { buildViewerRegistry } = await import('./plugin-modules.js');
  return buildViewerRegistry(plugins, (url) => import(/* @vite-ignore */ url) as Promise<Record<string, unknown>>);
}
