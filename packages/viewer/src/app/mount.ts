import { el, showError } from './dom.js';
import { loadRegistry, ModelCache } from './models.js';
import { anomalyPanel } from './panel-anomaly.js';
import { interpolationPanel } from './panel-interpolation.js';
import { reconstructionPanel } from './panel-reconstruction.js';
import { samplingPanel } from './panel-sampling.js';
import { scatterPanel } from './panel-scatter.js';
import { trainPanel } from './panel-train.js';
import { variancePanel } from './panel-variance.js';
import { loadRun, normaliseRunUrl, type RunData } from './run-data.js';
import { Selection } from './selection.js';
import { scatterDrawn, timings } from './timings.js';

/** What the page exposes for scripting and its browser tests. */
export interface ViewerHandle {
  readonly run: RunData;
  readonly selection: Selection;
  readonly timings: typeof timings;
  /** Client coordinates of point i in the scatter. */
  pointPosition(i: number): { x: number; y: number } | undefined;
}

declare global {
  interface Window {
    latentkitViewer?: ViewerHandle;
  }
}

async function start(): Promise<void> {
  const app = document.getElementById('app')!;
  const info = document.getElementById('run-info')!;
  // ?run=<url> points the static viewer at any run folder; served by `latentkit view` it is ./run/.
  const runUrl = normaliseRunUrl(new URLSearchParams(location.search).get('run') ?? 'run/', location.href);
  let run: RunData;
  try {
    run = await loadRun(runUrl);
  } catch (e) {
    showError(info, e);
    app.setAttribute('aria-busy', 'false');
    return;
  }
  timings.runLoadedMs = performance.now();
  const d = run.manifest.data;
  info.textContent = `${d.name}: ${run.n} points (${run.testIndices.length} test), ${run.models.length} models: ${run.models.map((m) => `${m.info.displayName} d=${m.info.latentDim}`).join(', ')}`;

  const cache = new ModelCache();
  const selection = new Selection();
  const scatter = scatterPanel(run, selection);
  app.append(
    scatter.section,
    reconstructionPanel(run, cache, selection),
    interpolationPanel(run, cache, selection),
    samplingPanel(run, cache),
    anomalyPanel(run, (i) => selection.select(i)),
    variancePanel(run),
    // The plugins (and tfjs) load once the scatter is on screen.
    trainPanel(run, scatterDrawn.then(loadRegistry)),
  );
  app.setAttribute('aria-busy', 'false');
  window.latentkitViewer = {
    run,
    selection,
    timings,
    pointPosition: (i) => scatter.scatter()?.clientPosition(i),
  };
  document.body.dataset.ready = 'true';
}

start().catch((e: unknown) => {
  const target = document.getElementById('run-info') ?? document.body.appendChild(el('p'));
  showError(target, e);
});
