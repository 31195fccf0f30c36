import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { LatentkitError } from '@latentkit/core';
import { fetchReader, type ModelFileReader } from './files.js';
import { createLayersModelPlugin } from './plugin.js';

export * from './index.js';

/** Reads model files from disk (paths or file:// URLs); http(s) URLs are fetched. */
export const nodeFileReader: ModelFileReader = async (path) => {
  if (/^https?:\/\//i.test(path)) return fetchReader(path);
  try {
    return new Uint8Array(await readFile(path.startsWith('file://') ? fileURLToPath(path) : path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new LatentkitError('E_IO', `cannot read ${path}${code ? ` (${code})` : ''}`, { cause: e });
  }
};

/** The plugin for Node (what `--plugin @latentkit/layers-model` loads): model paths are files. */
export const layersModelNodePlugin = createLayersModelPlugin(nodeFileReader);
export default layersModelNodePlugin;
