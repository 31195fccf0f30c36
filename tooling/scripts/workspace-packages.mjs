// The workspace's package folders (those with a package.json), as pnpm-workspace.yaml lists them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function workspacePackageDirs() {
  const patterns = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8')
    .split('\n')
    .map((l) => /^\s*-\s*(\S+)\s*$/.exec(l)?.[1])
    .filter(Boolean);
  const dirs = [];
  for (const p of patterns) {
    if (p.endsWith('/*')) {
      const base = join(root, p.slice(0, -2));
      if (!existsSync(base)) continue;
      for (const name of readdirSync(base).sort()) if (existsSync(join(base, name, 'package.json'))) dirs.push(join(base, name));
    } else if (existsSync(join(root, p, 'package.json'))) {
      dirs.push(join(root, p));
    }
  }
  return dirs;
}
