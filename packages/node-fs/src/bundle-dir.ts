import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { bundleFiles, LatentkitError, readBundle, type ModelBundle } from '@latentkit/core';
import { writeFiles } from './atomic.js';
import { stageDir, type StageOptions } from './staged-dir.js';

/** Reads and verifies a bundle folder (manifest.json + .bin files). */
export async function readBundleDir(dir: string): Promise<ModelBundle> {
  const s = await stat(dir).catch(() => undefined);
  if (!s) throw new LatentkitError('E_IO', `model folder ${dir} does not exist`);
  if (!s.isDirectory()) throw new LatentkitError('E_IO', `${dir} is not a model folder`);
  return readBundle((file) => readFile(join(dir, file)), dir);
}

/** Writes the bundle's files into an existing (e.g. staged) folder. */
export function writeBundleFiles(dir: string, bundle: ModelBundle): Promise<void> {
  return writeFiles(dir, bundleFiles(bundle));
}

/** Writes a bundle folder atomically: staged next to `dir`, renamed into place when complete. */
export async function writeBundleDir(dir: string, bundle: ModelBundle, options: StageOptions = {}): Promise<string> {
  const target = resolve(dir);
  const staged = await stageDir(target, options);
  try {
    await writeBundleFiles(staged.path, bundle);
    await staged.commit();
  } catch (e) {
    await staged.abort();
    throw e;
  }
  return target;
}
