// Build-time only (vite.config.ts): makes the shared modules separate chunks with stable names, points the
// training worker's imports of them at those same files, and writes the page's import map.
import type { HtmlTagDescriptor, Plugin } from 'vite';
import { SHARED_DIR, SHARED_MODULES, sharedImportMap, type ImportMap } from '../shared-modules.js';

/** The <script type="importmap"> tag; it must come before every module script of the page. */
export function importMapTag(map: ImportMap = sharedImportMap()): HtmlTagDescriptor {
  // "</script" inside the JSON would end the tag early; no specifier or path holds it, but escape "<" anyway.
  return { tag: 'script', attrs: { type: 'importmap' }, children: JSON.stringify(map, null, 2).replace(/</g, '\\u003c'), injectTo: 'head-prepend' };
}

/** Build inputs: one entry per shared module, named shared/<file>. */
export function sharedInputs(): Record<string, string> {
  return Object.fromEntries(SHARED_MODULES.map((m) => [`${SHARED_DIR}/${m.file}`, m.specifier]));
}

/**
 * Where the worker imports a shared module from: the worker's chunks sit in `assetsDir`, the shared files
 * in shared/ beside it, so the path is relative and the built viewer works under any base path.
 */
export function workerSharedPath(specifier: string, assetsDir = 'assets'): string | undefined {
  const m = SHARED_MODULES.find((s) => s.specifier === specifier);
  if (!m) return undefined;
  const up = assetsDir.split('/').filter(Boolean).map(() => '..').join('/') || '.';
  return `${up}/${SHARED_DIR}/${m.file}.js`;
}

const SHARED_SPECIFIERS: ReadonlySet<string> = new Set(SHARED_MODULES.map((m) => m.specifier));

export function sharedModulesPlugin(): Plugin {
  return {
    name: 'latentkit:shared-modules',
    apply: 'build',
    config(config) {
      const input = config.build?.rolldownOptions?.input;
      const base = typeof input === 'string' ? { index: input } : Array.isArray(input) ? Object.fromEntries(input.map((f, i) => [`entry${i}`, f])) : (input ?? { index: 'index.html' });
      return {
        build: {
          rolldownOptions: {
            input: { ...base, ...sharedInputs() },
            // A shared module keeps every export: a plugin may use what the viewer does not.
            preserveEntrySignatures: 'strict',
            output: {
              entryFileNames: (chunk) => (chunk.name.startsWith(`${SHARED_DIR}/`) ? '[name].js' : 'assets/[name]-[hash].js'),
            },
          },
        },
        worker: {
          rolldownOptions: {
            external: (id: string) => SHARED_SPECIFIERS.has(id),
            output: { paths: (id: string) => workerSharedPath(id) ?? id },
          },
        },
      };
    },
    transformIndexHtml: () => [importMapTag()],
    // An empty plugin list beside the page: a static host then has no 404 to log, and can list plugins in it.
    // serveRun answers /plugins.json itself with the plugins it was given.
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'plugins.json', source: `${JSON.stringify({ plugins: [] })}\n` });
    },
  };
}
