export { main, createProgram } from './program.js';
export { buildRegistry, importPlugin, declaredKinds } from './plugins.js';
export { readConfig, findConfigFile, CONFIG_FILE, type LatentkitConfig } from './config.js';
// The fit pipeline moved to @latentkit/run; re-exported for callers of the CLI's API.
export { fitAndSave, type FitJob, type FitMetrics } from '@latentkit/run/node';
