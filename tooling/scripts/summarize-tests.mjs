#!/usr/bin/env node
// Sums every workspace package's vitest JSON report into one closing line: "N passed, N failed".
// A package whose report is missing counts as one failure, so a crashed runner cannot pass silently.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { workspacePackageDirs } from './workspace-packages.mjs';

let passed = 0;
let failed = 0;
let skipped = 0;
for (const pkgDir of workspacePackageDirs()) {
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  if (!pkg.scripts?.test) continue;
  const report = join(pkgDir, '.test-results', 'vitest.json');
  if (!existsSync(report)) {
    console.log(`${pkg.name}: no test report (runner did not finish)`);
    failed += 1;
    continue;
  }
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const p = r.numPassedTests ?? 0;
  const f = r.numFailedTests ?? 0;
  const s = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  // A file that failed to load has no assertions but must still count as a failure.
  const suiteErrors = (r.testResults ?? []).filter((t) => t.status === 'failed' && (t.assertionResults ?? []).length === 0).length;
  console.log(`${pkg.name}: ${p} passed, ${f + suiteErrors} failed, ${s} skipped`);
  passed += p;
  failed += f + suiteErrors;
  skipped += s;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
