import { init, parse } from 'es-module-lexer';
import { LatentkitError } from '@latentkit/core';

/** Bare specifier → absolute URL: the page's import map, resolved. */
export type ResolvedImportMap = Readonly<Record<string, string>>;

const RELATIVE = /^\.{0,2}\//;

/**
 * Rewrites a module's import specifiers so it can run where there is no import map (a Web Worker) or from a
 * blob: URL: mapped bare specifiers become their absolute URLs and relative ones are resolved against the
 * module's own URL. Everything else (other bare names, full URLs) is left as written.
 */
export async function rewriteImports(source: string, importMap: ResolvedImportMap, moduleUrl: string): Promise<string> {
  await init;
  let imports;
  try {
    [imports] = parse(source, moduleUrl);
  } catch (e) {
    throw new LatentkitError('E_PLUGIN', `${moduleUrl} is not a valid ES module (${e instanceof Error ? e.message : String(e)})`);
  }
  let out = '';
  let last = 0;
  for (const imp of imports) {
    const name = imp.n;
    // d > -1: a dynamic import(), whose s..e span includes the quotes; -1 static; -2 import.meta.
    if (name === undefined || imp.d === -2) continue;
    const target = Object.hasOwn(importMap, name) ? importMap[name]! : RELATIVE.test(name) ? new URL(name, moduleUrl).href : undefined;
    if (target === undefined) continue;
    out += source.slice(last, imp.s) + (imp.d > -1 ? JSON.stringify(target) : target);
    last = imp.e;
  }
  return out + source.slice(last);
}

/**
 * Imports a module by URL inside a Web Worker, where import maps do not apply: fetches it, rewrites its
 * imports with `rewriteImports` and imports the result from a blob: URL. The shared modules it names are
 * then the worker's own instances (the worker imports the very same files).
 */
export async function importWithMap(url: string, importMap: ResolvedImportMap, fetchImpl: typeof fetch = (i, init) => fetch(i, init)): Promise<Record<string, unknown>> {
  const res = await fetchImpl(url);
  if (!res.ok) throw new LatentkitError('E_IO', `cannot fetch ${url} (HTTP ${res.status})`);
  const code = await rewriteImports(await res.text(), importMap, url);
  const blobUrl = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
  try {
    return (await import(/* @vite-ignore */ blobUrl)) as Record<string, unknown>;
  } finally {
    URL.revokeObjectURL(blobUrl);
  }
}

/** The page's import map with every target made absolute (the worker resolves nothing against the page). */
export function resolvedImportMap(doc: Document = document): ResolvedImportMap {
  const out: Record<string, string> = {};
  for (const script of doc.querySelectorAll('script[type="importmap"]')) {
    let map: { imports?: Record<string, unknown> };
    try {
      map = JSON.parse(script.textContent ?? '{}') as typeof map;
    } catch {
      continue;
    }
    for (const [specifier, target] of Object.entries(map.imports ?? {})) {
      if (typeof target === 'string') out[specifier] = new URL(target, doc.baseURI).href;
    }
  }
  return out;
}
