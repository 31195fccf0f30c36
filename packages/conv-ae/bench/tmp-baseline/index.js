import { convAePlugin } from './plugin.js';
export { convAePlugin, convAeDefinition, convAeOptions, fitConvAe, loadConvAe, } from './plugin.js';
export { buildConvArchitecture, DEFAULT_LAYOUT } from './architecture.js';
export { encoderStages } from './geometry.js';
export default convAePlugin;
export { convAeLayers } from './layers-export.js';
export { convAeLayersExporter } from './plugin.js';
//# sourceMappingURL=index.js.map