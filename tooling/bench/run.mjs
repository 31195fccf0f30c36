#!/usr/bin/env node
// `pnpm bench`: runs every `packages/*/bench/*.bench.mjs` and `tooling/bench/*.bench.mjs` in its own child
// process (clean heap, own peak RSS), collects their rows and ratios, and writes bench-results/latest.json
// plus a timestamped copy. Filter suites with `pnpm bench pca conv-ae`.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const filters = process.argv.slice(2);

function discover() {
  const files = [];
  for (const group of ['packages', 'apps']) {
    const g = join(root, group);
    if (!existsSync(g)) continue;
    for (const pkg of readdirSync(g).sort()) {
      const b = join(g, pkg, 'bench');
      if (!existsSync(b)) continue;
      for (const f of readdirSync(b).sort()) if (f.endsWith('.bench.mjs')) files.push(join(b, f));
    }
  }
  for (const f of readdirSync(join(root, 'tooling', 'bench')).sort()) if (f.endsWith('.bench.mjs')) files.push(join(root, 'tooling', 'bench', f));
  return files.filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
}

function runChild(file) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--expose-gc', join(root, 'tooling', 'bench', 'child.mjs'), file], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      let result;
      try {
        result = JSON.parse(line);
      } catch {
        result = { suite: relative(root, file), error: `bench exited with code ${code} and no JSON result` };
      }
      resolve({ ...result, file: relative(root, file), wallSeconds: (Date.now() - started) / 1000 });
    });
  });
}

const suites = [];
for (const file of discover()) {
  process.stderr.write(`bench: ${relative(root, file)}\n`);
  suites.push(await runChild(file));
}
const report = {
  createdAt: new Date().toISOString(),
  machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()}-${os.arch()}` },
  suites,
};
const dir = join(root, 'bench-results');
mkdirSync(dir, { recursive: true });
const json = JSON.stringify(report, null, 2) + '\n';
writeFileSync(join(dir, 'latest.json'), json);
writeFileSync(join(dir, `bench-${report.createdAt.replace(/[:.]/g, '-')}.json`), json);
process.stdout.write(json);
process.stderr.write(`bench: wrote ${relative(root, join(dir, 'latest.json'))}\n`);
