#!/usr/bin/env node
// Sums every workspace package's vitest JSON report into one closing line: "N passed, N failed".
// A package whose report is missing counts as one failure, so a crashed runner cannot pass silently.
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let passed = 0;
let failed = 0;
let skipped = 0;
for (const group of ['packages', 'apps', 'tooling/templates', '.']) {
  const groupDir = join(root, group);
  if (!existsSync(groupDir)) continue;
  for (const name of readdirSync(groupDir).sort()) {
    const pkgDir = join(groupDir, name);
    const pkgJson = join(pkgDir, 'package.json');
    if (!existsSync(pkgJson)) continue;
    const pkg = JSON.parse(readFileSync(pkgJson, 'utf8'));
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
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
