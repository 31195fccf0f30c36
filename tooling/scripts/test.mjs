#!/usr/bin/env node
// `pnpm test`: every package's vitest through turbo (continuing past failures so all results are counted),
// then one closing line "N passed, N failed" summed from the per-package JSON reports.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumPath } from '../browser/find-chromium.mjs';
import { root, workspacePackageDirs } from './workspace-packages.mjs';

const args = process.argv.slice(2);
const filtered = args.some((a) => a === '-F' || a.startsWith('--filter'));
// Stale reports from an earlier run must not count.
for (const dir of workspacePackageDirs()) rmSync(join(dir, '.test-results'), { recursive: true, force: true });
// One id per run: the browser set-up records a failed install under it, so packages do not each retry apt-get.
const run = `${process.pid}-${Date.now()}`;
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', TURBO_NO_UPDATE_NOTIFIER: '1', LATENTKIT_TEST_RUN: run };
const turbo = (turboArgs) => spawnSync(join(root, 'node_modules', '.bin', 'turbo'), turboArgs, { cwd: root, stdio: 'inherit', env });

// Some tests run other packages' builds (create-reducer runs the CLI's dist/bin.js, pca its compiled worker),
// which turbo's ^build does not cover: on a fresh clone everything is built first (cached when up to date).
if (!filtered && turbo(['run', 'build', '--output-logs=errors-only']).status !== 0) console.log('test: the build failed; the tests that need it will fail too');

// The browser tests need Chromium: found, or installed once here before any package starts (never skipped;
// where it cannot be installed the browser tests fail with the one line printed here).
if (!filtered && !env.LATENTKIT_CHROMIUM) {
  try {
    env.LATENTKIT_CHROMIUM = await chromiumPath({ env });
  } catch (e) {
    console.log(`test: ${e.message}`);
  }
}

// Test tasks are never cached (turbo.json), so every run runs every test; builds stay cached when up to date.
const tests = turbo(['run', 'test', '--continue', '--concurrency=1', ...args]);
rmSync(join(tmpdir(), `latentkit-chromium-${run}.failed`), { force: true });
const summary = spawnSync(process.execPath, [join(root, 'tooling', 'scripts', 'summarize-tests.mjs')], { cwd: root, stdio: 'inherit' });
process.exit(tests.status !== 0 || summary.status !== 0 ? 1 : 0);
