// Reading a model folder: blob files that are links, devices, FIFOs or of the wrong size are refused from
// lstat, before a byte is read, in one line naming the folder and the file. Run in a child to bound its RSS.
import { spawnSync } from 'node:child_process';
import { mkdtemp, open, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { moduleUrl, runChild } from '@latentkit/tooling/child';
import { describe, expect, it } from 'vitest';
import { writeModelFolder } from './__fixtures__/tree.js';

const NODE_FS = JSON.stringify(moduleUrl(fileURLToPath(new URL('./index.ts', import.meta.url))));
/** A child that imports node-fs peaks near 160 MB (the TypeScript transpiler included). */
const RSS_BOUND = 300 * 2 ** 20;

/** A copy of a good model folder with w.bin replaced by `damage`. */
async function damaged(damage: (wBin: string) => Promise<void>): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), 'lk-bundle-')), 'model');
  await writeModelFolder(dir);
  await rm(join(dir, 'w.bin'));
  await damage(join(dir, 'w.bin'));
  return dir;
}

describe('readBundleDir refuses hostile weight files before reading them', () => {
  it('a link to /dev/zero, a FIFO, a sparse 4 GiB file and a linked manifest: one line each, at once, RSS bound 300 MB', async () => {
    const cases: [string, RegExp][] = [
      [await damaged((w) => symlink('/dev/zero', w)), /: weights file w\.bin is a symbolic link; a model folder holds only regular files$/],
      [await damaged(async (w) => void spawnSync('mkfifo', [w])), /: weights file w\.bin is not a regular file$/],
      [
        await damaged(async (w) => {
          const fh = await open(w, 'w');
          await fh.truncate(2 ** 32);
          await fh.close();
        }),
        /: w\.bin has 4294967296 bytes, expected 8 \(truncated\?\)$/,
      ],
    ];
    const linkedManifest = await damaged(async () => undefined);
    await rm(join(linkedManifest, 'manifest.json'));
    await symlink('/dev/zero', join(linkedManifest, 'manifest.json'));
    cases.push([linkedManifest, /: manifest\.json is a symbolic link; a model folder holds only regular files$/]);
    const r = await runChild(
      `const { readBundleDir } = await import(${NODE_FS});
       const out = [];
       for (const dir of ${JSON.stringify(cases.map(([d]) => d))}) {
         out.push(await readBundleDir(dir).then(() => ({ ok: true }), (e) => ({ name: e.name, code: e.code, message: e.message })));
       }
       return out;`,
      { timeoutMs: 20_000 },
    );
    expect(r.timedOut, 'reading a bundle hung').toBe(false);
    const results = r.value as { name: string; code: string; message: string }[];
    cases.forEach(([dir, why], i) => {
      expect(results[i]!.name).toBe('LatentkitError');
      expect(results[i]!.code).toBe('E_BUNDLE_CORRUPT');
      expect(results[i]!.message).not.toContain('\n');
      expect(results[i]!.message.startsWith(`${dir}: `)).toBe(true);
      expect(results[i]!.message).toMatch(why);
    });
    expect(r.maxRssBytes).toBeLessThan(RSS_BOUND);
  });
});
