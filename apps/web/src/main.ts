// The viewer in Vite's dev server, for working on @latentkit/viewer: open /?run=<URL of a run folder>.
import { mountViewer, type ViewerHandle } from '@latentkit/viewer';

declare global {
  interface Window {
    latentkitViewer?: ViewerHandle;
  }
}

const runUrl = new URLSearchParams(location.search).get('run') ?? 'run/';
mountViewer(document.getElementById('viewer')!, { runUrl }).then(
  (viewer) => (window.latentkitViewer = viewer),
  // The viewer has already shown why the run could not be loaded.
  () => undefined,
);
