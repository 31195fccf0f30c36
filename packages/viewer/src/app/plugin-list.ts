import { LatentkitError } from '@latentkit/core';

/** A third-party plugin's browser module: an ES module whose default export is the plugin. */
export interface PluginModule {
  readonly kind: string;
  /** The npm package it comes from (named in errors). */
  readonly packageName: string;
  /** Absolute, or relative to the page. */
  readonly url: string;
}

/** Reads the plugin list a server offers (/plugins.json next to the page); none when there is no such file. */
export async function fetchServedPlugins(pageUrl: string, fetchImpl: typeof fetch = (i, init) => fetch(i, init)): Promise<PluginModule[]> {
  const url = new URL('plugins.json', pageUrl).href;
  let res: Response;
  try {
    res = await fetchImpl(url);
  } catch (e) {
    throw new LatentkitError('E_IO', `cannot fetch ${url} (${firstLine(e)})`, { cause: e });
  }
  if (res.status === 404) return [];
  if (!res.ok) throw new LatentkitError('E_IO', `cannot fetch ${url} (HTTP ${res.status})`);
  let body: unknown;
  try {
    body = await res.json();
  } catch (e) {
    throw new LatentkitError('E_INPUT_FORMAT', `${url} is not valid JSON (${firstLine(e)})`);
  }
  const list = (body as { plugins?: unknown } | null)?.plugins;
  if (!Array.isArray(list)) throw new LatentkitError('E_INPUT_FORMAT', `${url}: expected { "plugins": [...] }`);
  return list.map((p: Partial<PluginModule> | null, i) => {
    if (typeof p?.kind !== 'string' || typeof p.packageName !== 'string' || typeof p.url !== 'string') {
      throw new LatentkitError('E_INPUT_FORMAT', `${url}: plugins[${i}] needs kind, packageName and url`);
    }
    return { kind: p.kind, packageName: p.packageName, url: new URL(p.url, url).href };
  });
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}
