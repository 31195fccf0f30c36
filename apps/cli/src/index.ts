export { main, createProgram } from './program.js';
export { buildRegistry, importPlugin, readConfig, CONFIG_FILE, type LatentkitConfig } from './plugins.js';
export { fitAndSave, type FitJob, type FitMetrics } from './fit-pipeline.js';
