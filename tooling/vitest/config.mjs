// Shared vitest config: every package writes a JSON report that tooling/scripts/summarize-tests.mjs
// sums into the single "N passed, N failed" line CI ends with.
import { availableParallelism } from 'node:os';
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
      // vitest's default is one fewer than the cores: 1 on a 2-core CI machine, where many files wait on child
      // processes (the CLI's) or on I/O. Two forks there: the CLI suite 233 → 195 s on 2 cores.
      maxWorkers: Math.max(2, availableParallelism()),
      reporters: ['default', 'json'],
      outputFile: { json: '.test-results/vitest.json' },
      ...test,
    },
  });
}

export default latentkitVitest();
