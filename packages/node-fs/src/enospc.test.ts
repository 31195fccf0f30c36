// A full disk while writing into a staged folder: the error names the final path the user asked for, never
// the staging path, in one line; the staged folder is cleaned up and the old output is kept.
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { fingerprint, toyBundle, writeModelFolder } from './__fixtures__/tree.js';

const disk = vi.hoisted(() => ({ full: '' as '' | 'ENOSPC' | 'EIO' }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  // Node's own message names the path written, as the real errors do.
  const fail = (path: string) =>
    Object.assign(new Error(`${disk.full}: ${disk.full === 'EIO' ? 'i/o error' : 'no space left on device'}, write '${path}'`), { code: disk.full, syscall: 'write', path });
  const staged = (p: unknown) => disk.full !== '' && String(p).includes('.staging-');
  return {
    ...real,
    writeFile: async (p: Parameters<typeof real.writeFile>[0], ...rest: [never]) => {
      if (staged(p)) throw fail(String(p));
      return real.writeFile(p, ...rest);
    },
    open: async (p: Parameters<typeof real.open>[0], ...rest: [never]) => {
      const fh = await real.open(p, ...rest);
      if (!staged(p)) return fh;
      return new Proxy(fh, {
        get(target, key) {
          if (key === 'writeFile') return async () => Promise.reject(fail(String(p)));
          const v = Reflect.get(target, key);
          return typeof v === 'function' ? v.bind(target) : v;
        },
      });
    },
  };
});

const { stageDir, writeBundleDir, writeFileAtomic } = await import('./index.js');

describe('disk errors name the final path', () => {
  for (const code of ['ENOSPC', 'EIO'] as const) {
    it(`${code} in writeBundleDir and in writeFileAtomic inside a staged folder`, async () => {
      const root = await mkdtemp(join(tmpdir(), 'lk-enospc-'));
      const target = join(root, 'model');
      await writeModelFolder(target);
      const before = await fingerprint(root);
      const why = code === 'ENOSPC' ? 'no space left on device' : 'input/output error';
      disk.full = code;
      try {
        await expect(writeBundleDir(target, toyBundle(3), { force: true })).rejects.toThrow(new RegExp(`^cannot write ${target}/(manifest\\.json|w\\.bin): ${why}$`));
        const staged = await stageDir(join(root, 'run'));
        const err = await writeFileAtomic(join(staged.path, 'pca', 'metrics.json'), '{}').catch((e: Error) => e);
        await staged.abort();
        expect(err?.message).toBe(`cannot write ${join(root, 'run', 'pca', 'metrics.json')}: ${why}`);
        expect(err?.message).not.toContain('.staging-');
      } finally {
        disk.full = '';
      }
      expect(await fingerprint(root)).toEqual(before);
      expect(await readdir(root)).toEqual(['model']);
    });
  }
});
