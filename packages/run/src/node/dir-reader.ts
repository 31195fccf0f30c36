import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadRun, type RunData, type RunFileReader } from '../reader.js';

/** A RunFileReader over a run folder on disk; a missing file reads as undefined. */
export function runDirReader(dir: string): RunFileReader {
  return async (path) => {
    try {
      return await readFile(join(dir, path));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  };
}

/** Reads a run folder from disk; errors name files by their full path. */
export function readRunDir(dir: string): Promise<RunData> {
  const root = resolve(dir);
  return loadRun(runDirReader(root), { name: (p) => join(root, p) });
}
