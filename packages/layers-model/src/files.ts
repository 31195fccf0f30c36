import { LatentkitError } from '@latentkit/core';

/** Reads one file by path or URL; the Node entry reads the file system, the browser entry fetches. */
export type ModelFileReader = (path: string) => Promise<Uint8Array>;

/** `relative` resolved against the folder `base` (a file path or URL) is in. */
export function besides(base: string, relative: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(base)) return new URL(relative, base).href;
  const slash = base.lastIndexOf('/');
  return slash < 0 ? relative : `${base.slice(0, slash + 1)}${relative}`;
}

/** The folder path joined with a file inside it. */
export function inside(folder: string, file: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(folder)) return new URL(file, folder.endsWith('/') ? folder : `${folder}/`).href;
  return folder.endsWith('/') ? `${folder}${file}` : `${folder}/${file}`;
}

/** Reads with fetch (browsers, http(s) URLs in Node): a failed request is one E_IO line naming the URL. */
export const fetchReader: ModelFileReader = async (url) => {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new LatentkitError('E_IO', `cannot fetch ${url} (${(e as Error).message})`, { cause: e });
  }
  if (!response.ok) throw new LatentkitError('E_IO', `cannot fetch ${url} (HTTP ${response.status})`);
  return new Uint8Array(await response.arrayBuffer());
};
