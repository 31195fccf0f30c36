import { readFile, stat } from 'node:fs/promises';
import { LatentkitError } from '@latentkit/core';

/** Reads a whole file, turning fs failures into E_IO errors that name the file. */
export async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (e) {
    throw ioError(path, e);
  }
}

export async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw ioError(path, e);
  }
}

export async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function ioError(path: string, e: unknown): LatentkitError {
  const code = (e as { code?: string }).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
  return new LatentkitError('E_IO', `cannot read ${path}: ${why}`, { cause: e });
}
