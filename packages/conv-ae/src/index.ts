import { convAePlugin } from './plugin.js';

export { convAePlugin, createConvAe, type ConvAeOptions } from './plugin.js';
export { buildConvArchitecture, DEFAULT_LAYOUT } from './architecture.js';
export { encoderStages, type ConvStage, type ConvLayout } from './geometry.js';
export default convAePlugin;
