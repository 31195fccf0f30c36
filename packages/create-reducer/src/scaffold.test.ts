import { mkdtemp, readFile, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { namesFor, type ReducerNames } from './names.js';
import { scaffold } from './scaffold.js';

const names = namesFor('@acme/nmf') as ReducerNames;

describe('scaffold', () => {
  it('writes a standalone package: names filled in, no workspace links, no placeholders left', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'lk-scaffold-')), 'nmf');
    const files = await scaffold({ names, dir, latentkitRange: '^1.2.3' });
    expect(files).toEqual(['.gitignore', 'README.md', 'package.json', 'src/fit.ts', 'src/index.ts', 'src/model.ts', 'src/options.ts', 'src/plugin.test.ts', 'tsconfig.json']);
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('@acme/nmf');
    expect(pkg.devDependencies['@latentkit/core']).toBe('^1.2.3');
    expect(pkg.exports['./browser']).toBeDefined();
    for (const f of files) {
      const text = await readFile(join(dir, f), 'utf8');
      expect(text, f).not.toMatch(/__[A-Z_]+__|workspace:/);
    }
    expect(await readFile(join(dir, 'tsconfig.json'), 'utf8')).not.toContain('extends');
    expect(await readFile(join(dir, 'src/index.ts'), 'utf8')).toContain("kind: KIND");
    expect(await readFile(join(dir, 'src/model.ts'), 'utf8')).toContain("export const KIND = 'nmf';");
  });

  it('refuses a folder that already holds files, leaving them alone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lk-scaffold-'));
    await mkdir(join(dir, 'src'));
    await writeFile(join(dir, 'keep.txt'), 'mine');
    await expect(scaffold({ names, dir, latentkitRange: '^1.0.0' })).rejects.toThrow(/already exists and is not empty/);
    expect(await readFile(join(dir, 'keep.txt'), 'utf8')).toBe('mine');
  });
});
