import { lstat, open, readdir, realpath } from 'node:fs/promises';
import { constants } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { BUNDLE_FORMAT, LatentkitError, MANIFEST_FILE } from '@latentkit/core';

/**
 * What `--force` may replace: only a folder latentkit wrote and can recognise, never one holding anything else.
 *
 *   empty folder            nothing to lose
 *   model bundle folder     manifest.json (format latentkit-bundle), the <blob>.bin files it lists,
 *                           metrics.json, codes.bin, latent.json — nothing else, no subfolders
 *   run folder              run.json (format latentkit-run), points/{images,labels,split}.bin, compare.json,
 *                           report.html, *.png, *.svg, held-out/ holding only bundle folders, and any other
 *                           subfolder only if it is a bundle folder (the models, a <model>.checkpoint)
 *
 * Every entry must be a regular file or folder (a symbolic link is foreign). Independently of the contents,
 * the current folder, any parent of it and any folder holding a protected path (the input data) are refused.
 */

// Written by @latentkit/run, which depends on this package, so the names live here too.
const RUN_FORMAT = 'latentkit-run';
const RUN_MANIFEST_FILE = 'run.json';
const BUNDLE_EXTRAS = new Set(['metrics.json', 'codes.bin', 'latent.json']);
const POINTS_FILES = new Set(['images.bin', 'labels.bin', 'split.bin']);
const RUN_FILES = new Set([RUN_MANIFEST_FILE, 'compare.json', 'report.html']);
const RUN_PICTURE = /^[A-Za-z0-9_.-]+\.(png|svg)$/;
/** Manifests are small JSON; a bigger one is not ours. */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

/** Why a folder cannot be replaced, relative to it ("data.csv was not written by latentkit"). */
class Foreign extends Error {}

export interface ReplaceCheck {
  /** Paths (input data files) that must survive: a folder holding any of them is never replaced. */
  readonly protect?: readonly string[];
  /** The working folder to keep (default process.cwd()). */
  readonly cwd?: string;
}

/** Throws one line saying why `target` (an existing folder) may not be replaced; returns when it may. */
export async function checkReplaceable(target: string, options: ReplaceCheck = {}): Promise<void> {
  const refuse = (why: string) =>
    new LatentkitError('E_IO', `refusing to replace ${target} (--force): ${why}; nothing was changed — remove it yourself or choose another output folder`);
  const s = await lstat(target);
  if (s.isSymbolicLink()) throw refuse('it is a symbolic link, not a folder latentkit wrote');
  if (!s.isDirectory()) throw refuse('it is not a folder');
  const real = await realpath(target);
  const cwd = resolve(options.cwd ?? process.cwd());
  for (const here of new Set([cwd, await realpath(cwd).catch(() => cwd)])) {
    if (inside(here, real) || inside(here, resolve(target))) throw refuse(here === real || here === resolve(target) ? 'it is the current folder' : `it contains the current folder ${cwd}`);
  }
  for (const p of options.protect ?? []) {
    const candidates = [resolve(p), await realpath(p).catch(() => resolve(p))];
    if (candidates.some((c) => inside(c, real) || inside(c, resolve(target)))) throw refuse(`it holds the input data ${p}`);
  }
  try {
    await checkOwnedFolder(target);
  } catch (e) {
    if (e instanceof Foreign) throw refuse(e.message);
    // Something changed or could not be read while looking: not recognisable, so not ours to delete.
    throw refuse(`cannot inspect it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** True when `path` is `dir` or lies inside it. */
function inside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

async function checkOwnedFolder(dir: string): Promise<void> {
  const names = await readdir(dir);
  if (names.length === 0) return;
  if (names.includes(RUN_MANIFEST_FILE)) return checkRunFolder(dir, names);
  if (names.includes(MANIFEST_FILE)) return checkBundleFolder(dir, names, '');
  throw new Foreign(`it is not a latentkit model or run folder (no ${MANIFEST_FILE} or ${RUN_MANIFEST_FILE}), it holds ${describe(names)}`);
}

function describe(names: string[]): string {
  const shown = names.slice(0, 3).join(', ');
  return names.length > 3 ? `${shown} and ${names.length - 3} more` : shown;
}

async function checkRunFolder(dir: string, names: string[]): Promise<void> {
  const manifest = await readJson(join(dir, RUN_MANIFEST_FILE), RUN_MANIFEST_FILE);
  if (manifest?.format !== RUN_FORMAT) throw new Foreign(`${RUN_MANIFEST_FILE} is not a latentkit run manifest`);
  for (const name of names) {
    const kind = await entryKind(join(dir, name), name);
    if (kind === 'file') {
      if (!RUN_FILES.has(name) && !RUN_PICTURE.test(name)) throw new Foreign(`${name} was not written by latentkit`);
    } else if (name === 'points') {
      await checkFlatFolder(join(dir, name), `${name}/`, POINTS_FILES);
    } else if (name === 'held-out') {
      for (const sub of await readdir(join(dir, name))) await checkBundleSubfolder(join(dir, name, sub), `${name}/${sub}/`);
    } else {
      await checkBundleSubfolder(join(dir, name), `${name}/`);
    }
  }
}

async function checkBundleSubfolder(dir: string, label: string): Promise<void> {
  if ((await entryKind(dir, label.slice(0, -1))) !== 'dir') throw new Foreign(`${label.slice(0, -1)} was not written by latentkit`);
  const names = await readdir(dir);
  if (!names.includes(MANIFEST_FILE)) throw new Foreign(`${label} is not a latentkit model folder (no ${MANIFEST_FILE})`);
  await checkBundleFolder(dir, names, label);
}

async function checkBundleFolder(dir: string, names: string[], label: string): Promise<void> {
  const manifest = await readJson(join(dir, MANIFEST_FILE), `${label}${MANIFEST_FILE}`);
  if (manifest?.format !== BUNDLE_FORMAT || typeof manifest.blobs !== 'object' || manifest.blobs === null) {
    throw new Foreign(`${label}${MANIFEST_FILE} is not a latentkit bundle manifest`);
  }
  const allowed = new Set([MANIFEST_FILE, ...BUNDLE_EXTRAS, ...Object.keys(manifest.blobs as object).map((b) => `${b}.bin`)]);
  await checkFlatFolder(dir, label, allowed, names);
}

/** A folder of regular files, every one of them in `allowed`. */
async function checkFlatFolder(dir: string, label: string, allowed: ReadonlySet<string>, names?: string[]): Promise<void> {
  if (!names && (await entryKind(dir, label.slice(0, -1))) !== 'dir') throw new Foreign(`${label.slice(0, -1)} was not written by latentkit`);
  for (const name of names ?? (await readdir(dir))) {
    if (!allowed.has(name) || (await entryKind(join(dir, name), `${label}${name}`)) !== 'file') throw new Foreign(`${label}${name} was not written by latentkit`);
  }
}

async function entryKind(path: string, label: string): Promise<'file' | 'dir'> {
  const s = await lstat(path);
  if (s.isSymbolicLink()) throw new Foreign(`${label} is a symbolic link`);
  if (s.isFile()) return 'file';
  if (s.isDirectory()) return 'dir';
  throw new Foreign(`${label} is not a regular file`);
}

/** Parses a small regular JSON file (not following links); undefined when it is not one. */
async function readJson(path: string, label: string): Promise<Record<string, unknown> | undefined> {
  if ((await entryKind(path, label)) !== 'file') return undefined;
  const fh = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  try {
    const { size } = await fh.stat();
    if (size > MAX_MANIFEST_BYTES) return undefined;
    const parsed: unknown = JSON.parse(await fh.readFile('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  } finally {
    await fh.close();
  }
}
