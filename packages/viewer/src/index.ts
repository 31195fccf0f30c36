// Browser entry of @latentkit/viewer: mount the viewer on a page. The Node server is '@latentkit/viewer/node'.
export { mountViewer, type MountViewerOptions, type ViewerHandle } from './app/mount.js';
export { fetchServedPlugins, type PluginModule } from './app/plugin-list.js';
export { normaliseRunUrl, type ViewerRun } from './app/view-run.js';
export type { Selection } from './app/selection.js';
export type { ViewerTimings } from './app/timings.js';
export { SHARED_MODULES, sharedImportMap, type ImportMap } from './shared-modules.js';
