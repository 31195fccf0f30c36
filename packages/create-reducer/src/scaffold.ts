import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReducerNames } from './names.js';

/** The template shipped in this package (template/ next to dist/ and src/). */
export const TEMPLATE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'template');

export interface ScaffoldOptions {
  readonly names: ReducerNames;
  /** Folder to create; must not exist or be empty. */
  readonly dir: string;
  /** The @latentkit version range the package depends on, e.g. "^0.2.0". */
  readonly latentkitRange: string;
}

/** npm drops .gitignore from published packages, so the template stores it as "gitignore". */
const RENAMED: Readonly<Record<string, string>> = { gitignore: '.gitignore' };

/** Copies the template into `dir`, filling in the names; returns the files written (relative paths). */
export async function scaffold({ names, dir, latentkitRange }: ScaffoldOptions): Promise<string[]> {
  if (await isNonEmptyDir(dir)) throw new Error(`${dir} already exists and is not empty; choose another folder`);
  const values: Record<string, string> = {
    __PACKAGE_NAME__: names.packageName,
    __KIND__: names.kind,
    __DISPLAY_NAME__: names.displayName,
    __CLASS_NAME__: names.className,
    __LATENTKIT_RANGE__: latentkitRange,
  };
  const written: string[] = [];
  for (const file of await listFiles(TEMPLATE_DIR)) {
    const rel = relative(TEMPLATE_DIR, file);
    const base = rel.split('/').pop()!;
    const target = join(dir, dirname(rel), RENAMED[base] ?? base);
    let text = await readFile(file, 'utf8');
    for (const [key, value] of Object.entries(values)) text = text.replaceAll(key, value);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, text, { flag: 'wx' });
    written.push(relative(dir, target));
  }
  return written.sort();
}

async function isNonEmptyDir(dir: string): Promise<boolean> {
  try {
    const s = await stat(dir);
    return !s.isDirectory() || (await readdir(dir)).length > 0;
  } catch {
    return false;
  }
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}
