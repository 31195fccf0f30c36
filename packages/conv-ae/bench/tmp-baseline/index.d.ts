import { convAePlugin } from './plugin.js';
export { convAePlugin, convAeDefinition, convAeOptions, fitConvAe, loadConvAe, type ConvAe, type ConvAeOptions, type ConvAeOptionsInput, type ConvAeSettings, } from './plugin.js';
export { buildConvArchitecture, DEFAULT_LAYOUT } from './architecture.js';
export { encoderStages, type ConvStage, type ConvLayout } from './geometry.js';
export default convAePlugin;
export { convAeLayers } from './layers-export.js';
export { convAeLayersExporter } from './plugin.js';
//# sourceMappingURL=index.d.ts.map