// The static viewer's page (dist/viewer/index.html): the run from ?run= (default ./run/, where `serveRun`
// puts it) and the plugins the server lists in ./plugins.json.
import { el } from './app/dom.js';
import { fetchServedPlugins, mountViewer, type PluginModule, type ViewerHandle } from './index.js';

declare global {
  interface Window {
    /** The mounted viewer, for scripting and the browser tests. */
    latentkitViewer?: ViewerHandle;
  }
}

async function start(): Promise<void> {
  const root = document.getElementById('viewer')!;
  let plugins: PluginModule[] = [];
  let pluginProblem: string | undefined;
  try {
    plugins = await fetchServedPlugins(location.href);
  } catch (e) {
    pluginProblem = e instanceof Error ? e.message : String(e);
  }
  const viewer = await mountViewer(root, { runUrl: new URLSearchParams(location.search).get('run') ?? 'run/', plugins });
  if (pluginProblem) document.getElementById('viewer-notices')?.append(el('li', { class: 'error', text: pluginProblem }));
  window.latentkitViewer = viewer;
  document.body.dataset.ready = 'true';
}

// A run that cannot be loaded is already explained on the page by mountViewer.
start().catch(() => undefined);
