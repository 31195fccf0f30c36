import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The @latentkit range a new plugin depends on: this package is released together with the others, so
 * its own version is the current one.
 */
export function latentkitRange(): string {
  const pkg = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'package.json'), 'utf8')) as { version: string };
  return `^${pkg.version}`;
}
