import { afterAll, describe, it } from 'vitest';
import type { ConformanceOptions } from './settings.js';
import { conformanceSuite } from './suite.js';

export interface DescribeConformanceOptions {
  /** The describe block's title (default "reducer conformance: KIND"). */
  readonly title?: string;
  /** Per-check timeout in milliseconds (default 120 000). */
  readonly timeoutMs?: number;
}

/**
 * Registers the conformance suite as vitest tests, one `it` per chosen check, run in order. In a reducer
 * package's test file:
 *   describeConformance(myPlugin, { settings: { latentDim: 3, options: { epochs: 1 } } });
 * Bad settings throw here, failing the file with one message instead of every test.
 */
export function describeConformance(plugin: unknown, options: ConformanceOptions = {}, adapter: DescribeConformanceOptions = {}): void {
  const suite = conformanceSuite(plugin, options);
  describe.sequential(adapter.title ?? `reducer conformance: ${suite.kind ?? 'not a plugin'}`, () => {
    for (const check of suite.checks) it(check.name, () => check.run(), adapter.timeoutMs ?? 120_000);
    afterAll(() => suite.release());
  });
}
