import { mkdir, rename, rm, writeFile, open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { LatentkitError } from '@latentkit/core';
import { finalPathOf, withFinalPaths } from './live-staging.js';

function tempName(path: string, tag: string): string {
  return join(dirname(path), `.${basename(path)}.${tag}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
}

/** Writes a file so readers see either the old content or the complete new one: temp file, fsync, rename. */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = tempName(path, 'tmp');
  try {
    await mkdir(dirname(path), { recursive: true });
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw ioError(`cannot write ${path}`, e);
  }
}

/** Plain words for the errno codes a disk or a permission produces; the raw message names paths we may not want shown. */
const WHY: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EIO: 'input/output error',
  EROFS: 'read-only file system',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a path component is not a directory',
  EISDIR: 'it is a directory',
  EMFILE: 'too many open files',
  EFBIG: 'file too large',
};

/**
 * One-line E_IO error "WHAT: why". Paths inside a staging folder this process has open are shown as their
 * final paths: the user asked for runs/x, not for runs/.x.staging-123-abc.
 */
export function ioError(what: string, e: unknown): LatentkitError {
  const err = e as NodeJS.ErrnoException;
  const why = (err?.code && WHY[err.code]) ?? String(err?.message ?? e).split('\n')[0]!;
  return new LatentkitError('E_IO', withFinalPaths(`${what}: ${why}`), { cause: e });
}

/** Writes every file of a map into a folder (created if needed); plain writes, for a folder nobody reads yet. */
export async function writeFiles(dir: string, files: ReadonlyMap<string, Uint8Array | string>): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    throw ioError(`cannot create ${finalPathOf(dir)}`, e);
  }
  for (const [name, data] of files) {
    try {
      await writeFile(join(dir, name), data);
    } catch (e) {
      throw ioError(`cannot write ${join(dir, name)}`, e);
    }
  }
}

export { tempName };
