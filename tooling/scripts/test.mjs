#!/usr/bin/env node
// `pnpm test`: every package's vitest through turbo (continuing past failures so all results are counted),
// then one closing line "N passed, N failed" summed from the per-package JSON reports.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { root, workspacePackageDirs } from './workspace-packages.mjs';

// Stale reports from an earlier run must not count.
for (const dir of workspacePackageDirs()) rmSync(join(dir, '.test-results'), { recursive: true, force: true });
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', TURBO_NO_UPDATE_NOTIFIER: '1' };
const turbo = spawnSync(join(root, 'node_modules', '.bin', 'turbo'), ['run', 'test', '--continue', '--concurrency=1', '--force', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env });
const summary = spawnSync(process.execPath, [join(root, 'tooling', 'scripts', 'summarize-tests.mjs')], { cwd: root, stdio: 'inherit' });
process.exit(turbo.status !== 0 || summary.status !== 0 ? 1 : 0);
