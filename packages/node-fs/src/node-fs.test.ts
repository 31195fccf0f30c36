import { mkdtemp, readFile, readdir, writeFile, mkdir, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBundle, float32Blob, readFloat32Blob } from '@latentkit/core';
import { readBundleDir, stageDir, writeBundleDir, writeFileAtomic } from './index.js';

const bundle = (v: number) =>
  createBundle({ kind: 'toy', specVersion: 1, options: {}, inputShape: [2], latentDim: 1, blobs: { w: float32Blob([v, v + 1], [2]) } });

describe('node-fs', () => {
  it('writes and reads a bundle folder', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'lk-')), 'model');
    await writeBundleDir(dir, bundle(1));
    const back = await readBundleDir(dir);
    expect(Array.from(readFloat32Blob(back, 'w'))).toEqual([1, 2]);
    expect((await readdir(dir)).sort()).toEqual(['manifest.json', 'w.bin']);
  });

  it('refuses an existing folder without force and keeps it; replaces it with force', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'lk-')), 'model');
    await writeBundleDir(dir, bundle(1));
    await expect(writeBundleDir(dir, bundle(5))).rejects.toThrow(/already exists \(use --force/);
    expect(Array.from(readFloat32Blob(await readBundleDir(dir), 'w'))).toEqual([1, 2]);
    await writeBundleDir(dir, bundle(5), { force: true });
    expect(Array.from(readFloat32Blob(await readBundleDir(dir), 'w'))).toEqual([5, 6]);
    expect((await readdir(join(dir, '..'))).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('an aborted staged folder leaves the old target untouched and no litter', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'lk-'));
    const target = join(parent, 'run');
    await writeBundleDir(target, bundle(1));
    const staged = await stageDir(target, { force: true });
    await writeFile(join(staged.path, 'new.txt'), 'half');
    await staged.abort();
    expect((await readdir(target)).sort()).toEqual(['manifest.json', 'w.bin']);
    expect(await readdir(parent)).toEqual(['run']);
  });

  it('writeFileAtomic replaces content and reports unwritable folders in one line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lk-'));
    const f = join(dir, 'a.json');
    await writeFileAtomic(f, 'one');
    await writeFileAtomic(f, 'two');
    expect(await readFile(f, 'utf8')).toBe('two');
    const locked = join(dir, 'locked');
    await mkdir(locked);
    await chmod(locked, 0o500);
    const isRoot = process.getuid?.() === 0;
    // root ignores permission bits; write under a file instead, which fails for everyone
    const bad = isRoot ? join(f, 'x.json') : join(locked, 'x.json');
    await expect(writeFileAtomic(bad, 'x')).rejects.toThrow(/^cannot write .*x\.json: /);
  });

  it('a missing model folder is named', async () => {
    await expect(readBundleDir('/nonexistent/model')).rejects.toThrow('model folder /nonexistent/model does not exist');
  });
});
