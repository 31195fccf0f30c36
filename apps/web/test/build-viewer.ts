// Builds @latentkit/viewer's static viewer (its dist/viewer, what `serveRun` serves) with Vite's API, so the
// browser tests always exercise current sources.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
export const VIEWER_PACKAGE_DIR = dirname(createRequire(import.meta.url).resolve('@latentkit/viewer/package.json'));

export async function buildViewer(): Promise<void> {
  await build({ root: VIEWER_PACKAGE_DIR, logLevel: 'warn', configFile: join(VIEWER_PACKAGE_DIR, 'vite.config.ts') });
}
