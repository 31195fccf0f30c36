import { describe, it } from 'vitest';
import { conformanceChecks, type ConformanceOptions } from './checks.js';

/**
 * Registers the conformance suite as vitest tests. In a reducer package's test file:
 *   describeReducerConformance(myPlugin, { options: { epochs: 1 } });
 */
export function describeReducerConformance(plugin: unknown, options: ConformanceOptions = {}, name = 'reducer conformance'): void {
  describe.sequential(name, () => {
    for (const check of conformanceChecks(plugin, options)) it(check.name, () => check.run(), 120_000);
  });
}
