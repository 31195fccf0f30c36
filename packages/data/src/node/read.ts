import { constants, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { LatentkitError, memoryBudget } from '@latentkit/core';

/** An open regular file whose size was known before anything was read. */
export interface RegularFile {
  readonly path: string;
  readonly size: number;
  readonly fh: FileHandle;
}

/**
 * Opens a data file only if it is a regular file: a FIFO would block forever and /dev/zero or a
 * directory never ends, so those are refused from stat() before open(). The handle is opened
 * non-blocking and checked again, so a file swapped in between is refused too.
 */
export async function openRegularFile(path: string): Promise<RegularFile> {
  let before: Stats;
  try {
    before = await stat(path);
  } catch (e) {
    throw ioError(path, e);
  }
  if (!before.isFile()) throw notRegular(path, before);
  let fh: FileHandle;
  try {
    fh = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw ioError(path, e);
  }
  const after = await fh.stat();
  if (!after.isFile() || after.ino !== before.ino || after.dev !== before.dev) {
    await fh.close();
    throw new LatentkitError('E_IO', `cannot read ${path}: it changed while being opened`);
  }
  return { path, size: after.size, fh };
}

/**
 * Opens a regular file and checks its framing (magic, footer lengths against the size) before anything parses
 * it; the handle is closed again when the check fails, and otherwise left to the caller.
 */
export async function openCheckedFile(path: string, check: (file: RegularFile) => Promise<void>): Promise<RegularFile> {
  const file = await openRegularFile(path);
  try {
    await check(file);
  } catch (e) {
    await file.fh.close().catch(() => undefined);
    throw e;
  }
  return file;
}

/** Opens, runs fn, and always closes. */
export async function withRegularFile<T>(path: string, fn: (file: RegularFile) => Promise<T>): Promise<T> {
  const file = await openRegularFile(path);
  try {
    return await fn(file);
  } finally {
    await file.fh.close().catch(() => undefined);
  }
}

/** Reads `length` bytes at `position` (fewer only at the end of the file). */
export async function readAt(file: RegularFile, position: number, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(Math.max(0, Math.min(length, file.size - position)));
  let got = 0;
  while (got < out.length) {
    const { bytesRead } = await file.fh.read(out, got, out.length - got, position + got).catch((e: unknown) => {
      throw ioError(file.path, e);
    });
    if (bytesRead === 0) throw new LatentkitError('E_IO', `cannot read ${file.path}: it shrank while being read`);
    got += bytesRead;
  }
  return out;
}

/** The whole file, exactly the size stat() reported (callers check that size first). */
export function readAll(file: RegularFile): Promise<Uint8Array> {
  return readAt(file, 0, file.size);
}

/** Reads a whole regular file, turning fs failures into E_IO errors that name the file. */
export function readBytes(path: string): Promise<Uint8Array> {
  return withRegularFile(path, readAll);
}

export async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * The most bytes a loader may plan to hold: LATENTKIT_MAX_DATA_BYTES, else half of the machine's (or the
 * container's) memory, so a file the machine cannot hold fails in one line instead of swapping or dying.
 */
export function defaultMaxDataBytes(env: NodeJS.ProcessEnv = process.env): number {
  return memoryBudget(env, nodeMachineMemory()).bytes;
}

/** This machine's memory, capped by a container limit where Node reports one. */
export function nodeMachineMemory(): number {
  const constrained = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.() ?? 0;
  return constrained > 0 ? Math.min(constrained, totalmem()) : totalmem();
}

function notRegular(path: string, s: Stats): LatentkitError {
  if (s.isDirectory()) return new LatentkitError('E_IO', `cannot read ${path}: it is a directory`);
  const kind = s.isFIFO() ? 'a FIFO (named pipe)' : s.isCharacterDevice() ? 'a character device' : s.isBlockDevice() ? 'a block device' : s.isSocket() ? 'a socket' : 'not a plain file';
  return new LatentkitError('E_IO', `cannot read ${path}: it is ${kind}, not a regular file`);
}

export function ioError(path: string, e: unknown): LatentkitError {
  const code = (e as { code?: string }).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
  return new LatentkitError('E_IO', `cannot read ${path}: ${why}`, { cause: e });
}
