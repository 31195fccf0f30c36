import { LatentkitError } from '@latentkit/core';
import type { RunFileReader } from './reader.js';

/**
 * A RunFileReader over HTTP (browser or Node 20+): `loadRun(fetchRunReader(base), { name: (p) => base + p })`.
 * A 404 means the file is absent (optional files may be); any other failure is E_IO naming the URL.
 */
export function fetchRunReader(baseUrl: string, fetchImpl: typeof fetch = (input, init) => fetch(input, init)): RunFileReader {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return async (path) => {
    const url = new URL(path, base).href;
    let res: Response;
    try {
      res = await fetchImpl(url);
    } catch (e) {
      throw new LatentkitError('E_IO', `cannot fetch ${url} (${(e as Error).message})`, { cause: e });
    }
    if (res.status === 404) return undefined;
    if (!res.ok) throw new LatentkitError('E_IO', `cannot fetch ${url} (HTTP ${res.status})`);
    return new Uint8Array(await res.arrayBuffer());
  };
}
