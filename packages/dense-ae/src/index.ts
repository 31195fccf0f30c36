import { denseAePlugin } from './plugin.js';

export {
  denseAePlugin,
  denseAeDefinition,
  denseAeOptions,
  fitDenseAe,
  loadDenseAe,
  type DenseAe,
  type DenseAeOptions,
  type DenseAeOptionsInput,
  type DenseAeSettings,
} from './plugin.js';
export { buildDenseArchitecture, denseLayout, DEFAULT_HIDDEN, type DenseLayout } from './architecture.js';
export default denseAePlugin;
export { denseAeLayers } from './layers-export.js';
export { denseAeLayersExporter } from './plugin.js';
