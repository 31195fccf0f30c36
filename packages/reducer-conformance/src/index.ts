// Runner-agnostic entry: plain async checks. The vitest adapter lives at "@latentkit/reducer-conformance/vitest".
export { conformanceChecks, conformanceSuite, type ConformanceCheck, type ConformanceSuite } from './suite.js';
export { runConformance, formatConformanceReport, type ConformanceReport, type ConformanceResult } from './report.js';
export type { ConformanceOptions, ConformanceSettings } from './settings.js';
export { ConformanceFailure } from './assertions.js';
export { toyImages } from './toy-data.js';
