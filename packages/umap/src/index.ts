export { umapPlugin } from './plugin.js';
export { fitUmap } from './fit.js';
export { loadUmap } from './load.js';
export { UmapModel, UMAP_KIND } from './umap-model.js';
export { umapOptions, type UmapMetric, type UmapOptions, type UmapOptionsInput } from './options.js';
export { UMAP_PACKAGE } from './package-info.js';
import { umapPlugin } from './plugin.js';
export default umapPlugin;
