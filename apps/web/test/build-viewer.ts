// Builds the viewer into dist/viewer with Vite's API, so the browser tests always exercise current sources.
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

export async function buildViewer(): Promise<void> {
  await build({ root: PACKAGE_DIR, logLevel: 'warn', configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)) });
}
