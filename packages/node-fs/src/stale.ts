import { lstat, readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** True unless the process is known to be gone (EPERM means it exists under another user). */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Removes the `.NAME.staging-PID-*` and `.NAME.old-PID-*` folders beside `target` whose process is dead: what a
 * killed run (SIGKILL, power loss) left behind. Folders of live processes, other names and anything that is not
 * a plain folder are left alone. Returns the paths removed.
 */
export async function removeStaleStaging(target: string): Promise<string[]> {
  const parent = dirname(target);
  const pattern = new RegExp(`^\\.${escapeRegExp(basename(target))}\\.(?:staging|old)-(\\d+)-[a-z0-9]+$`);
  const removed: string[] = [];
  for (const name of await readdir(parent).catch(() => [] as string[])) {
    const pid = Number(pattern.exec(name)?.[1]);
    if (!Number.isSafeInteger(pid) || pid <= 0 || processAlive(pid)) continue;
    const path = join(parent, name);
    const s = await lstat(path).catch(() => undefined);
    if (!s?.isDirectory()) continue;
    await rm(path, { recursive: true, force: true }).catch(() => undefined);
    removed.push(path);
  }
  return removed;
}
