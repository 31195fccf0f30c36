import { constants } from 'node:fs';
import { lstat, open, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { bundleFiles, LatentkitError, MANIFEST_FILE, parseManifest, readBundle, type ModelBundle } from '@latentkit/core';
import { writeFiles } from './atomic.js';
import { stageDir, type StageOptions } from './staged-dir.js';

/** A manifest is small JSON; one bigger than this is not a bundle's. */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;
/** No link following, and no waiting on a FIFO swapped in after the check. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

const corrupt = (msg: string) => new LatentkitError('E_BUNDLE_CORRUPT', msg);

/**
 * Checks that `file` in `dir` is a regular file (not a link, FIFO or device) of `size` bytes (or at most `max`),
 * from lstat alone: a weight file linked to /dev/zero or swollen to gigabytes fails before a byte is read.
 */
async function checkFile(dir: string, file: string, expect: { size?: number; max?: number }): Promise<void> {
  const s = await lstat(join(dir, file)).catch(() => undefined);
  const what = file === MANIFEST_FILE ? file : `weights file ${file}`;
  if (!s) throw corrupt(`${dir}: ${what} is missing or unreadable`);
  if (s.isSymbolicLink()) throw corrupt(`${dir}: ${what} is a symbolic link; a model folder holds only regular files`);
  if (!s.isFile()) throw corrupt(`${dir}: ${what} is not a regular file`);
  if (expect.size !== undefined && s.size !== expect.size) throw corrupt(`${dir}: ${file} has ${s.size} bytes, expected ${expect.size} (truncated?)`);
  if (expect.max !== undefined && s.size > expect.max) throw corrupt(`${dir}: ${what} has ${s.size} bytes, more than a manifest can (${expect.max})`);
}

/** Reads exactly the checked file: opened without following links, and re-checked on the handle. */
async function readChecked(dir: string, file: string): Promise<Uint8Array> {
  const fh = await open(join(dir, file), OPEN_FLAGS).catch((e: unknown) => {
    throw corrupt(`${dir}: cannot open ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  });
  try {
    const s = await fh.stat();
    if (!s.isFile()) throw corrupt(`${dir}: ${file} is not a regular file`);
    const out = new Uint8Array(s.size);
    let got = 0;
    while (got < out.length) {
      const { bytesRead } = await fh.read(out, got, out.length - got, got);
      if (bytesRead === 0) throw corrupt(`${dir}: ${file} shrank while being read`);
      got += bytesRead;
    }
    return out;
  } finally {
    await fh.close();
  }
}

/**
 * Reads and verifies a bundle folder (manifest.json + .bin files). Every file the manifest names is checked
 * (regular, not a link, exactly its byteLength) before any weights are read.
 */
export async function readBundleDir(dir: string): Promise<ModelBundle> {
  const s = await stat(dir).catch(() => undefined);
  if (!s) throw new LatentkitError('E_IO', `model folder ${dir} does not exist`);
  if (!s.isDirectory()) throw new LatentkitError('E_IO', `${dir} is not a model folder`);
  await checkFile(dir, MANIFEST_FILE, { max: MAX_MANIFEST_BYTES });
  const manifestBytes = await readChecked(dir, MANIFEST_FILE);
  const manifest = parseManifest(new TextDecoder().decode(manifestBytes), `${dir}/${MANIFEST_FILE}`);
  for (const info of Object.values(manifest.blobs)) await checkFile(dir, info.file, { size: info.byteLength });
  return readBundle((file) => (file === MANIFEST_FILE ? Promise.resolve(manifestBytes) : readChecked(dir, file)), dir);
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
