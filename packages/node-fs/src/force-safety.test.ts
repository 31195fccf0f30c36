// --force replaces only a folder latentkit wrote and recognises; every refusal is one line, says why,
// and leaves the parent folder exactly as it was (fingerprinted before and after).
import { mkdir, mkdtemp, readdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fingerprint, toyBundle, writeModelFolder, writeRunFolder } from './__fixtures__/tree.js';
import { readBundleDir, stageDir, writeBundleDir } from './index.js';

async function parent(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'lk-force-'));
}

/** Stages `target` with force (and `protect`), expects a one-line refusal matching `why`, and an untouched parent. */
async function expectRefusal(target: string, why: RegExp, protect?: string[]): Promise<void> {
  const root = dirname(target);
  const before = await fingerprint(root);
  const thrown = await stageDir(target, { force: true, ...(protect ? { protect } : {}) }).then(
    () => undefined,
    (e: unknown) => e as Error & { code?: string },
  );
  expect(thrown, 'expected a refusal').toBeDefined();
  expect(thrown!.name).toBe('LatentkitError');
  expect(thrown!.code).toBe('E_IO');
  expect(thrown!.message).not.toContain('\n');
  expect(thrown!.message).toContain(`refusing to replace ${target} (--force): `);
  expect(thrown!.message).toMatch(why);
  expect(await fingerprint(root)).toEqual(before);
}

/** Force-replaces `target` with a toy bundle and checks the result and that no litter remains beside it. */
async function expectReplaced(target: string): Promise<void> {
  await writeBundleDir(target, toyBundle(7), { force: true });
  expect((await readBundleDir(target)).manifest.kind).toBe('toy');
  expect((await readdir(dirname(target))).filter((n) => n.startsWith('.'))).toEqual([]);
}

describe('--force replaces what latentkit wrote', () => {
  it('a model folder (bundle + metrics.json)', async () => {
    const target = join(await parent(), 'model');
    await writeModelFolder(target);
    await expectReplaced(target);
  });

  it('a run folder (run.json, points/, models with codes, held-out/, a checkpoint, pictures and report)', async () => {
    const target = join(await parent(), 'run');
    await writeRunFolder(target);
    await expectReplaced(target);
  });

  it('an empty folder', async () => {
    const target = join(await parent(), 'empty');
    await mkdir(target);
    await expectReplaced(target);
  });
});

describe('--force refuses, in one line, leaving everything untouched', () => {
  const cwd = process.cwd();
  afterEach(() => process.chdir(cwd));

  it('a folder holding the input data (csv:P/data.csv --out P --force)', async () => {
    const target = join(await parent(), 'P');
    await writeModelFolder(target);
    await writeFile(join(target, 'data.csv'), '1,2\n3,4\n');
    await expectRefusal(target, /: it holds the input data .*P\/data\.csv; nothing was changed/, [join(target, 'data.csv')]);
    // Without the protect list the stray file alone is enough.
    await expectRefusal(target, /: data\.csv was not written by latentkit; nothing was changed/);
  });

  it('a folder holding the input data through a symbolic link to the folder', async () => {
    const root = await parent();
    const target = join(root, 'P');
    await writeModelFolder(target);
    await symlink(target, join(root, 'alias'));
    await writeFile(join(target, 'data.csv'), '1\n');
    await expectRefusal(target, /it holds the input data .*alias\/data\.csv/, [join(root, 'alias', 'data.csv')]);
  });

  it('the current folder, and a parent of it, even when latentkit wrote them', async () => {
    const target = join(await parent(), 'run');
    await writeRunFolder(target);
    process.chdir(target);
    await expectRefusal(target, /: it is the current folder;/);
    process.chdir(join(target, 'points'));
    await expectRefusal(target, /: it contains the current folder .*run\/points;/);
  });

  it('a folder without manifest.json or run.json', async () => {
    const target = join(await parent(), 'home');
    await mkdir(target);
    await writeFile(join(target, 'notes.txt'), 'mine');
    await writeFile(join(target, 'thesis.tex'), 'mine');
    await expectRefusal(target, /: it is not a latentkit model or run folder \(no manifest\.json or run\.json\), it holds notes\.txt, thesis\.tex;/);
  });

  it('a model folder with a foreign file, a subfolder, or a manifest of another format', async () => {
    const target = join(await parent(), 'model');
    await writeModelFolder(target);
    await writeFile(join(target, 'extra.bin'), 'x'); // not a blob the manifest lists
    await expectRefusal(target, /: extra\.bin was not written by latentkit;/);
    const other = join(await parent(), 'model');
    await writeModelFolder(other);
    await mkdir(join(other, 'sub'));
    await expectRefusal(other, /: sub was not written by latentkit;/);
    const fake = join(await parent(), 'model');
    await mkdir(fake);
    await writeFile(join(fake, 'manifest.json'), JSON.stringify({ format: 'some-other-tool', blobs: {} }));
    await expectRefusal(fake, /: manifest\.json is not a latentkit bundle manifest;/);
  });

  it('a run folder with a foreign file deep inside, or a symbolic link', async () => {
    const a = join(await parent(), 'run');
    await writeRunFolder(a);
    await writeFile(join(a, 'points', 'notes.txt'), 'mine');
    await expectRefusal(a, /: points\/notes\.txt was not written by latentkit;/);
    const b = join(await parent(), 'run');
    await writeRunFolder(b);
    await writeFile(join(b, 'held-out', 'pca', 'data.csv'), '1\n');
    await expectRefusal(b, /: held-out\/pca\/data\.csv was not written by latentkit;/);
    const c = join(await parent(), 'run');
    await writeRunFolder(c);
    await symlink('/etc', join(c, 'linked'));
    await expectRefusal(c, /: linked is a symbolic link;/);
    const d = join(await parent(), 'run');
    await writeRunFolder(d);
    await mkdir(join(d, 'photos'));
    await writeFile(join(d, 'photos', 'cat.jpg'), 'x');
    await expectRefusal(d, /: photos\/ is not a latentkit model folder \(no manifest\.json\);/);
  });

  it('a target that is itself a symbolic link', async () => {
    const root = await parent();
    await writeModelFolder(join(root, 'real'));
    await symlink(join(root, 'real'), join(root, 'model'));
    await expectRefusal(join(root, 'model'), /: it is a symbolic link, not a folder latentkit wrote;/);
  });

  it('at commit, a folder that gained a foreign file while the job ran', async () => {
    const root = await parent();
    const target = join(root, 'model');
    await writeModelFolder(target);
    const staged = await stageDir(target, { force: true });
    await writeBundleDir(join(staged.path, 'inner'), toyBundle(1)); // the job writes
    await writeFile(join(target, 'notes.txt'), 'written meanwhile');
    const before = await fingerprint(target);
    await expect(staged.commit()).rejects.toThrow(/^refusing to replace .*model \(--force\): notes\.txt was not written by latentkit;/);
    await staged.abort();
    expect(await fingerprint(target)).toEqual(before);
    expect(await readdir(root)).toEqual(['model']);
  });
});
