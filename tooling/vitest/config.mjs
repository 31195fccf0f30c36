// Shared vitest config: every package writes a JSON report that tooling/scripts/summarize-tests.mjs
// sums into the single "N passed, N failed" line CI ends with.
import { defineConfig } from 'vitest/config';

export function latentkitVitest(overrides = {}) {
  const { test = {}, ...rest } = overrides;
  return defineConfig({
    resolve: { conditions: ['source'] },
    ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
    ...rest,
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: 120_000,
      hookTimeout: 120_000,
      pool: 'forks',
      reporters: ['default', 'json'],
      outputFile: { json: '.test-results/vitest.json' },
      ...test,
    },
  });
}

export default latentkitVitest();
