import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `changeset version` on a copy of the workspace's manifests: every pending changeset bumps and logs its packages. */
describe('changesets', () => {
  it('pnpm changeset version bumps every package named in .changeset and writes its CHANGELOG', () => {
    const copy = mkdtempSync(join(tmpdir(), 'latentkit-changesets-'));
    for (const f of ['package.json', 'pnpm-workspace.yaml']) cpSync(join(repo, f), join(copy, f));
    cpSync(join(repo, '.changeset'), join(copy, '.changeset'), { recursive: true });
    const pkgDirs: string[] = [];
    for (const group of ['packages', 'apps']) {
      for (const name of readdirSync(join(repo, group))) {
        const src = join(repo, group, name, 'package.json');
        if (!existsSync(src)) continue;
        mkdirSync(join(copy, group, name), { recursive: true });
        cpSync(src, join(copy, group, name, 'package.json'));
        pkgDirs.push(join(group, name));
      }
    }
    // A known change of our own, so the check holds whether or not other changesets are pending.
    writeFileSync(join(copy, '.changeset', 'test-core-fix.md'), '---\n"@latentkit/core": patch\n---\n\nA test fix.\n');
    const pending = readdirSync(join(copy, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');
    // Which packages the pending changesets name, and how.
    const named = new Map<string, string>();
    for (const f of pending) {
      const front = readFileSync(join(copy, '.changeset', f), 'utf8').split('---')[1] ?? '';
      for (const m of front.matchAll(/"([^"]+)":\s*(major|minor|patch)/g)) named.set(m[1]!, m[2]!);
    }
    execFileSync(process.execPath, [join(repo, 'node_modules', '@changesets', 'cli', 'bin.js'), 'version'], { cwd: copy, stdio: 'pipe' });
    for (const dir of pkgDirs) {
      const before = JSON.parse(readFileSync(join(repo, dir, 'package.json'), 'utf8'));
      const after = JSON.parse(readFileSync(join(copy, dir, 'package.json'), 'utf8'));
      if (before.private || !named.has(before.name)) continue;
      expect(after.version, before.name).not.toBe(before.version);
      const log = readFileSync(join(copy, dir, 'CHANGELOG.md'), 'utf8');
      expect(log, before.name).toContain(`## ${after.version}`);
    }
    expect(readFileSync(join(copy, 'packages', 'core', 'CHANGELOG.md'), 'utf8')).toContain('A test fix.');
    expect(readdirSync(join(copy, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md')).toEqual([]);
  }, 60_000);
});
