import { mkdir, rename, rm, writeFile, open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { LatentkitError } from '@latentkit/core';

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

export function ioError(what: string, e: unknown): LatentkitError {
  const err = e as NodeJS.ErrnoException;
  const why = err?.code === 'EACCES' || err?.code === 'EPERM' ? 'permission denied' : err?.code === 'ENOSPC' ? 'no space left on device' : err?.code === 'ENOENT' ? 'no such file or directory' : err?.code === 'ENOTDIR' ? 'a path component is not a directory' : (err?.message ?? String(e));
  return new LatentkitError('E_IO', `${what}: ${why}`, { cause: e });
}

/** Writes every file of a map into a folder (created if needed); plain writes, for a folder nobody reads yet. */
export async function writeFiles(dir: string, files: ReadonlyMap<string, Uint8Array | string>): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [name, data] of files) await writeFile(join(dir, name), data);
}

export { tempName };
