import { vaePlugin } from './plugin.js';

export { vaePlugin, vaeDefinition, fitVae, loadVae, type VaeSettings } from './plugin.js';
export { vaeOptions, type VaeOptions, type VaeOptionsInput } from './options.js';
export { VaeReducer, VAE_CAPABILITIES, type BoundOptions } from './reducer.js';
export { buildVaeArchitecture, type VaeArchitecture, type GaussianMoments } from './architecture.js';
export { vaeObjective, EVALUATION_SEED } from './objective.js';
export { elboTerms, gaussianNats, type ElboTerms } from './elbo-terms.js';
export { negativeElboScores } from './scores.js';
export default vaePlugin;
