// Test helpers: a fingerprint of a folder tree (names, kinds, contents, link targets) to prove nothing changed,
// and the folders latentkit writes, built with the real writer.
import { createHash } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, readlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createBundle, float32Blob, type ModelBundle } from '@latentkit/core';
import { writeBundleFiles } from '../bundle-dir.js';

/** Every entry under `dir` (hidden ones too) as "path kind detail", sorted. */
export async function fingerprint(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string, rel: string) => {
    for (const name of (await readdir(d)).sort()) {
      const p = join(d, name);
      const r = rel ? `${rel}/${name}` : name;
      const s = await lstat(p);
      if (s.isSymbolicLink()) out.push(`${r} link ${await readlink(p)}`);
      else if (s.isDirectory()) {
        out.push(`${r} dir`);
        await walk(p, r);
      } else if (s.isFile()) out.push(`${r} file ${createHash('sha256').update(await readFile(p)).digest('hex').slice(0, 16)}`);
      else out.push(`${r} other`);
    }
  };
  await walk(dir, '');
  return out;
}

export const toyBundle = (v: number): ModelBundle =>
  createBundle({ kind: 'toy', specVersion: 1, options: {}, inputShape: [2], latentDim: 1, blobs: { w: float32Blob([v, v + 1], [2]) } });

/** A model folder as `latentkit fit` leaves it: bundle plus metrics.json. */
export async function writeModelFolder(dir: string, v = 1): Promise<void> {
  await writeBundleFiles(dir, toyBundle(v));
  await writeFile(join(dir, 'metrics.json'), '{}\n');
}

/** A run folder as `latentkit demo` leaves it: run.json, points/, models with codes, held-out refits, pictures. */
export async function writeRunFolder(dir: string): Promise<void> {
  await mkdir(join(dir, 'points'), { recursive: true });
  await writeFile(join(dir, 'run.json'), JSON.stringify({ format: 'latentkit-run', formatVersion: 2, models: [{ dir: 'pca' }] }));
  for (const f of ['images.bin', 'labels.bin', 'split.bin']) await writeFile(join(dir, 'points', f), new Uint8Array(4));
  for (const model of ['pca', 'conv-ae-d8', 'held-out/pca', 'conv-ae.checkpoint']) await writeModelFolder(join(dir, model));
  await writeFile(join(dir, 'pca', 'codes.bin'), new Uint8Array(8));
  await writeFile(join(dir, 'pca', 'latent.json'), '{}');
  for (const f of ['compare.json', 'report.html', 'compare.png', 'samples-pca.png', 'loss.svg']) await writeFile(join(dir, f), 'x');
}
