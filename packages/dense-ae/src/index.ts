import { denseAePlugin } from './plugin.js';

export { denseAePlugin, createDenseAe, type DenseAeOptions } from './plugin.js';
export { buildDenseArchitecture, denseLayout, DEFAULT_HIDDEN, type DenseLayout } from './architecture.js';
export default denseAePlugin;
