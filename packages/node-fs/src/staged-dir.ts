import { access, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { LatentkitError } from '@latentkit/core';
import { ioError, tempName } from './atomic.js';

export interface StagedDir {
  /** The temporary folder to write into; it becomes `target` on commit. */
  readonly path: string;
  readonly target: string;
  /** Moves the finished folder into place, replacing an old one only now that the new one is complete. */
  commit(): Promise<void>;
  /** Removes the temporary folder; the target is untouched. */
  abort(): Promise<void>;
}

export interface StageOptions {
  /** Replace an existing target folder (only at commit). Without it an existing folder is refused up front. */
  readonly force?: boolean;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * Stages a folder (a run or a bundle) next to its target so an interrupted or failed job never leaves a
 * half-written folder and never deletes the previous one before the new one is complete.
 */
export async function stageDir(target: string, options: StageOptions = {}): Promise<StagedDir> {
  if (await exists(target)) {
    const s = await stat(target);
    if (!s.isDirectory()) throw new LatentkitError('E_IO', `${target} exists and is not a folder`);
    if (!options.force) throw new LatentkitError('E_IO', `${target} already exists (use --force to replace it)`);
  }
  try {
    await mkdir(dirname(target), { recursive: true });
  } catch (e) {
    throw ioError(`cannot create ${dirname(target)}`, e);
  }
  const path = tempName(target, 'staging');
  try {
    await mkdir(path);
  } catch (e) {
    throw ioError(`cannot write to ${dirname(target)}`, e);
  }
  let done = false;
  return {
    path,
    target,
    async commit() {
      if (done) return;
      let old: string | undefined;
      if (await exists(target)) {
        if (!options.force) throw new LatentkitError('E_IO', `${target} already exists (use --force to replace it)`);
        old = tempName(target, 'old');
        await rename(target, old);
      }
      try {
        await rename(path, target);
      } catch (e) {
        if (old) await rename(old, target).catch(() => undefined);
        throw ioError(`cannot move the new folder into ${target}`, e);
      }
      done = true;
      if (old) await rm(old, { recursive: true, force: true });
    },
    async abort() {
      if (done) return;
      done = true;
      await rm(path, { recursive: true, force: true });
    },
  };
}
