import { rmSync } from 'node:fs';
import { sep } from 'node:path';

/**
 * The staging folders this process has open, with the folder each will become. Used to name the final path
 * in error messages (a user never typed ".out.staging-123-abc") and to remove what is left when the process
 * exits without committing or aborting (a reducer option refused, a plugin that throws): a failed run leaves
 * no staging folder. A killed process cannot clean up; the next stageDir beside it does (stale.ts).
 */
const live = new Map<string, string>();
let hooked = false;

export function trackStaging(path: string, target: string): void {
  live.set(path, target);
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const p of live.keys()) rmSync(p, { recursive: true, force: true });
    });
  }
}

export function untrackStaging(path: string): void {
  live.delete(path);
}

/** `path` with a live staging folder replaced by its final folder; unchanged when it is not inside one. */
export function finalPathOf(path: string): string {
  for (const [staging, target] of live) {
    if (path === staging) return target;
    if (path.startsWith(staging + sep)) return target + path.slice(staging.length);
  }
  return path;
}

/** A message with every live staging path in it replaced by its final path. */
export function withFinalPaths(message: string): string {
  let out = message;
  for (const [staging, target] of live) out = out.split(staging).join(target);
  return out;
}
