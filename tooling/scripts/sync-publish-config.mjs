#!/usr/bin/env node
// Keeps each package's publishConfig.exports equal to its exports minus the "source" condition, which
// points at src/ for in-repo tests only (src/ is not published). pnpm pack/publish applies publishConfig.
// Run after editing an exports map; `--check` fails if any package is out of sync (CI lint step).
import { readFileSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const check = process.argv.includes('--check');
const strip = (v) => {
  if (typeof v !== 'object' || v === null) return v;
  const out = {};
  for (const [k, x] of Object.entries(v)) if (k !== 'source') out[k] = strip(x);
  return out;
};
let stale = [];
for (const group of ['packages', 'apps', 'tooling/templates']) {
  const g = join(root, group);
  if (!existsSync(g)) continue;
  for (const name of readdirSync(g)) {
    const file = join(g, name, 'package.json');
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    const pkg = JSON.parse(text);
    if (!pkg.exports) continue;
    const wanted = strip(pkg.exports);
    if (JSON.stringify(pkg.publishConfig?.exports) === JSON.stringify(wanted)) continue;
    stale.push(pkg.name);
    if (!check) {
      pkg.publishConfig = { ...(pkg.publishConfig ?? {}), exports: wanted };
      writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
    }
  }
}
if (check && stale.length) {
  console.error(`publishConfig.exports out of sync in: ${stale.join(', ')} (run node tooling/scripts/sync-publish-config.mjs)`);
  process.exit(1);
}
if (!check) console.log(stale.length ? `updated ${stale.join(', ')}` : 'all in sync');
