import { realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';

/** Why a request path could not be mapped to a file, as an HTTP status. */
export type PathRefusal = 400 | 403 | 404;

export type ResolvedFile = { readonly ok: true; readonly path: string; readonly size: number } | { readonly ok: false; readonly status: PathRefusal };

/**
 * Splits a raw (still percent-encoded) URL path into decoded segments, refusing anything that could
 * step outside the root: `..` and `.` segments (plain or encoded), encoded slashes or backslashes,
 * NUL bytes and empty segments (which is how `//etc/passwd` style absolute paths arrive).
 */
export function safeSegments(rawPath: string): string[] | PathRefusal {
  if (rawPath === '') return [];
  // Encoded separators would let one "segment" carry a path of its own.
  if (/%2f|%5c|%00/i.test(rawPath)) return 403;
  const segments: string[] = [];
  const parts = rawPath.split('/');
  // A trailing slash names a folder; folders are never listed, so it resolves like the folder itself.
  if (parts[parts.length - 1] === '') parts.pop();
  for (const raw of parts) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return 400;
    }
    if (segment === '' || segment === '.' || segment === '..' || segment.includes('\\') || segment.includes('\0')) return 403;
    // Dotfiles (.git, .env) are never part of a run or the viewer.
    if (segment.startsWith('.')) return 404;
    segments.push(segment);
  }
  return segments;
}

/**
 * Maps decoded segments onto a regular file inside `rootReal` (an already realpath'd folder). The
 * file's own realpath must stay under the root, so a symlink pointing outside is refused.
 * Directories are never listed: they resolve to 404.
 */
export async function resolveInside(rootReal: string, segments: readonly string[]): Promise<ResolvedFile> {
  let real: string;
  try {
    real = await realpath(join(rootReal, ...segments));
  } catch {
    return { ok: false, status: 404 };
  }
  if (real !== rootReal && !real.startsWith(rootReal.endsWith(sep) ? rootReal : rootReal + sep)) return { ok: false, status: 403 };
  try {
    const info = await stat(real);
    if (!info.isFile()) return { ok: false, status: 404 };
    return { ok: true, path: real, size: info.size };
  } catch {
    return { ok: false, status: 404 };
  }
}
