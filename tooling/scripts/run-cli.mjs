#!/usr/bin/env node
// `pnpm latentkit …` from the repo root: builds what the CLI needs when dist is missing or stale,
// then hands every argument to the CLI's bin. Keeps the README's quick start to one command.
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const build = spawnSync(join(root, 'node_modules', '.bin', 'turbo'), ['run', 'build', '--filter=@latentkit/cli...', '--output-logs=errors-only', '--log-prefix=none'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', TURBO_NO_UPDATE_NOTIFIER: '1' },
});
if (build.status !== 0) {
  console.error('latentkit: building the CLI failed (run `pnpm build` to see why)');
  process.exit(build.status ?? 1);
}
const cli = spawnSync(process.execPath, [join(root, 'apps', 'cli', 'dist', 'bin.js'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: process.env.INIT_CWD ?? process.cwd(),
});
process.exit(cli.status ?? 1);
