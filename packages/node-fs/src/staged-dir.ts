import { lstat, mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { LatentkitError } from '@latentkit/core';
import { ioError, tempName } from './atomic.js';
import { trackStaging, untrackStaging } from './live-staging.js';
import { checkReplaceable } from './owned-folder.js';
import { removeStaleStaging } from './stale.js';

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
  /**
   * Replace an existing target folder (only at commit), and only one latentkit wrote (see owned-folder.ts):
   * never the current folder or a parent of it, never one holding `protect`. Without it an existing folder
   * is refused up front.
   */
  readonly force?: boolean;
  /** Input data paths: a folder holding any of them is never replaced, with or without force. */
  readonly protect?: readonly string[];
}

async function existing(path: string) {
  return lstat(path).catch(() => undefined);
}

/** Refuses, in one line and before any change, a target that exists and may not be replaced. */
async function checkTarget(target: string, options: StageOptions): Promise<void> {
  const s = await existing(target);
  if (!s) return;
  if (!s.isDirectory() && !s.isSymbolicLink()) throw new LatentkitError('E_IO', `${target} exists and is not a folder`);
  if (!options.force) throw new LatentkitError('E_IO', `${target} already exists (use --force to replace it)`);
  await checkReplaceable(target, { ...(options.protect ? { protect: options.protect } : {}) });
}

/**
 * Stages a folder (a run or a bundle) next to its target so an interrupted or failed job never leaves a
 * half-written folder and never deletes the previous one before the new one is complete. Staging folders
 * of dead processes beside the target are removed first; this process's own is removed at exit if the
 * caller never commits or aborts.
 */
export async function stageDir(target: string, options: StageOptions = {}): Promise<StagedDir> {
  await checkTarget(target, options);
  try {
    await mkdir(dirname(target), { recursive: true });
  } catch (e) {
    throw ioError(`cannot create ${dirname(target)}`, e);
  }
  await removeStaleStaging(target);
  const path = tempName(target, 'staging');
  try {
    await mkdir(path);
  } catch (e) {
    throw ioError(`cannot write to ${dirname(target)}`, e);
  }
  trackStaging(path, target);
  let done = false;
  return {
    path,
    target,
    async commit() {
      if (done) return;
      // Checked again: the folder may have changed (or appeared) while the job ran.
      await checkTarget(target, options);
      let old: string | undefined;
      if (await existing(target)) {
        old = tempName(target, 'old');
        try {
          await rename(target, old);
        } catch (e) {
          throw ioError(`cannot replace ${target}`, e);
        }
      }
      try {
        await rename(path, target);
      } catch (e) {
        if (old) await rename(old, target).catch(() => undefined);
        throw ioError(`cannot move the new folder into ${target}`, e);
      }
      done = true;
      untrackStaging(path);
      if (old) await rm(old, { recursive: true, force: true });
    },
    async abort() {
      if (done) return;
      done = true;
      await rm(path, { recursive: true, force: true });
      untrackStaging(path);
    },
  };
}
