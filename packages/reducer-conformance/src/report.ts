import type { Capability } from '@latentkit/core';
import type { ConformanceOptions } from './settings.js';
import { conformanceSuite } from './suite.js';

export interface ConformanceResult {
  readonly id: string;
  readonly name: string;
  readonly capability?: Capability;
  readonly passed: boolean;
  /** Why it failed, one line. */
  readonly error?: string;
  readonly seconds: number;
}

export interface ConformanceReport {
  readonly kind: string | undefined;
  readonly capabilities: readonly Capability[];
  readonly passed: boolean;
  readonly results: readonly ConformanceResult[];
}

/** Runs every chosen check in order and reports each; rejects only for bad suite settings (up front). */
export async function runConformance(
  candidate: unknown,
  options: ConformanceOptions = {},
  hooks: { readonly onResult?: (result: ConformanceResult) => void } = {},
): Promise<ConformanceReport> {
  const suite = conformanceSuite(candidate, options);
  const results: ConformanceResult[] = [];
  try {
    for (const check of suite.checks) {
      const start = performance.now();
      let error: string | undefined;
      try {
        await check.run();
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      const result: ConformanceResult = {
        id: check.id,
        name: check.name,
        ...(check.capability ? { capability: check.capability } : {}),
        passed: error === undefined,
        ...(error === undefined ? {} : { error }),
        seconds: (performance.now() - start) / 1000,
      };
      results.push(result);
      hooks.onResult?.(result);
    }
  } finally {
    await suite.release();
  }
  return { kind: suite.kind, capabilities: suite.capabilities, passed: results.every((r) => r.passed), results };
}

/** The report as text: one ✓/✗ line per check, the reason after a failed one. */
export function formatConformanceReport(report: ConformanceReport): string {
  const lines = report.results.map((r) => `${r.passed ? '✓' : '✗'} ${r.name}${r.error ? `\n    ${r.error}` : ''}`);
  const failed = report.results.filter((r) => !r.passed).length;
  const head = `reducer "${report.kind ?? '?'}" [${report.capabilities.join(', ')}]: ${failed ? `${failed} of ${report.results.length} checks failed` : `all ${report.results.length} checks passed`}`;
  return [head, ...lines].join('\n');
}
