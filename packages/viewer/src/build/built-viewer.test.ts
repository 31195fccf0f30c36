import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_MODULES } from '../shared-modules.js';

const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Relative imports of a built module (static `from "…"`, side-effect `import "…"`, dynamic `import("…")`). */
function relativeImports(code: string): string[] {
  return [...code.matchAll(/(?:from|import)\s*\(?\s*["'`](\.{1,2}\/[^"'`]+)["'`]/g)].map((m) => m[1]!);
}

/** The viewer as `vite build` makes it, into a temporary folder: the import map and the shared files it names. */
describe('the built viewer', () => {
  let out: string;
  let html: string;

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'latentkit-viewer-build-'));
    await build({ root: PACKAGE_DIR, configFile: join(PACKAGE_DIR, 'vite.config.ts'), logLevel: 'warn', build: { outDir: out, emptyOutDir: true } });
    html = readFileSync(join(out, 'index.html'), 'utf8');
  }, 300_000);

  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('declares the import map before any module script', () => {
    const map = /<script type="importmap">([\s\S]*?)<\/script>/.exec(html);
    expect(map).not.toBeNull();
    expect(html.indexOf('type="importmap"')).toBeLessThan(html.indexOf('type="module"'));
    const imports = JSON.parse(map![1]!).imports as Record<string, string>;
    for (const m of SHARED_MODULES) expect(imports[m.specifier]).toBe(`./shared/${m.file}.js`);
  });

  it('bundles the WebGL scatter (regl-scatterplot) into its own files, loading nothing from another host', () => {
    const files = readdirSync(join(out, 'assets')).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(out, 'assets', f), 'utf8'));
    // regl-scatterplot's option names survive minification: some chunk of the viewer holds the library.
    expect(files.some((code) => code.includes('lassoInitiator') && code.includes('pointColorActive'))).toBe(true);
    for (const code of [html, ...files]) {
      expect(code).not.toMatch(/(?:from|import)\s*\(?\s*["'`]https?:\/\//);
      expect(code).not.toMatch(/<(?:script|link)[^>]+(?:src|href)=["']https?:\/\//);
    }
  });

  it('ships an empty plugins.json beside the page (a static host has no server to list plugins)', () => {
    expect(JSON.parse(readFileSync(join(out, 'plugins.json'), 'utf8'))).toEqual({ plugins: [] });
  });

  it('emits every shared module under its stable name, keeping all its exports', async () => {
    for (const m of SHARED_MODULES) expect(existsSync(join(out, 'shared', `${m.file}.js`)), m.file).toBe(true);
    // core runs in Node too: its shared file must export the whole API, not only what the viewer uses.
    const core = (await import(pathToFileURL(join(out, 'shared', 'latentkit-core.js')).href)) as Record<string, unknown>;
    for (const name of ['LatentkitError', 'ReducerRegistry', 'createBundle', 'requireCapability', 'describeOptions', 'crc32']) expect(typeof core[name], name).toBe('function');
  });

  it('has the training worker import the shared files by relative path, not bare names it could not resolve', () => {
    const worker = readdirSync(join(out, 'assets')).find((f) => /^train-worker-.*\.js$/.test(f));
    expect(worker).toBeDefined();
    const code = readFileSync(join(out, 'assets', worker!), 'utf8');
    for (const m of SHARED_MODULES) expect(code, m.specifier).not.toMatch(new RegExp(`from\\s*["'\`]${m.specifier.replace('/', '\\/')}["'\`]`));
    const shared = relativeImports(code).filter((p) => p.includes('/shared/'));
    expect(shared).toContain('../shared/latentkit-core.js');
    for (const p of relativeImports(code)) expect(existsSync(resolve(join(out, 'assets'), p)), p).toBe(true);
  });
});
