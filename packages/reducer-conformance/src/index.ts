export { conformanceChecks, toyImages, type ConformanceCheck, type ConformanceOptions } from './checks.js';
export { describeReducerConformance } from './vitest.js';
