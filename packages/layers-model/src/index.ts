import { fetchReader } from './files.js';
import { createLayersModelPlugin } from './plugin.js';

export { createLayersModelPlugin } from './plugin.js';
export { LayersModelReducer, type LayersModelState, type OpenedModel } from './layers-model-reducer.js';
export { fitLayersModel } from './fit.js';
export { loadLayersModel } from './load.js';
export { openModel } from './open-model.js';
export { layersModelOptions, type LayersModelOptions, type LayersModelOptionsInput } from './options.js';
export { fetchReader, type ModelFileReader } from './files.js';
export { LAYERS_MODEL_KIND, LAYERS_MODEL_PACKAGE } from './package-info.js';

/** The plugin for browsers (and any runtime with fetch): model paths are URLs. Node's entry reads files instead. */
export const layersModelPlugin = createLayersModelPlugin(fetchReader);
export default layersModelPlugin;
