import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The built viewer (dist/viewer of @latentkit/viewer). Found by walking up from this module to the
 * package root, so it works both from dist/server (published) and src/server (tests run sources).
 */
export function defaultViewerDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === '@latentkit/viewer') return join(dir, 'dist', 'viewer');
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the @latentkit/web package root');
    dir = parent;
  }
}
