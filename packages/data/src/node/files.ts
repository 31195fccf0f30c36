import { basename, dirname, join } from 'node:path';
import type { Dataset, ImageShape } from '@latentkit/core';
import type { CsvOptions } from '../csv.js';
import { idxToDataset } from '../idx.js';
import { npyToDataset } from '../npy.js';
import { readCsv } from './csv-file.js';
import { readIdx, type ReadLimits } from './idx-file.js';
import { readNpy } from './npy-file.js';
import { isFile } from './read.js';

/** A dataset name from a path: the file name without .gz and its format extension. */
export function datasetNameFromPath(path: string): string {
  return basename(path).replace(/\.gz$/i, '').replace(/\.(npy|csv|idx\d?|ubyte)$/i, '');
}

/**
 * The labels file that goes with an IDX images file, by the MNIST naming convention
 * (…images-idx3… → …labels-idx1…, else images → labels), or undefined when there is none.
 */
export async function findIdxLabels(imagesPath: string): Promise<string | undefined> {
  const name = basename(imagesPath);
  const candidates = new Set<string>();
  if (name.includes('images-idx3')) candidates.add(name.replace('images-idx3', 'labels-idx1'));
  if (name.includes('images')) candidates.add(name.replace('images', 'labels'));
  for (const candidate of candidates) {
    for (const variant of [candidate, candidate.replace(/\.gz$/, ''), candidate.endsWith('.gz') ? candidate : `${candidate}.gz`]) {
      const path = join(dirname(imagesPath), variant);
      if (variant !== name && (await isFile(path))) return path;
    }
  }
  return undefined;
}

/**
 * Loads an IDX images file. Labels come from `labelsPath`, or (when it is undefined) from a sibling
 * file found by findIdxLabels; pass null for none.
 */
export async function loadIdxFile(path: string, options: { labelsPath?: string | null } & ReadLimits = {}): Promise<Dataset> {
  const labelsPath = options.labelsPath === undefined ? await findIdxLabels(path) : (options.labelsPath ?? undefined);
  const limits = { maxBytes: options.maxBytes };
  // One after the other: the images are checked (and may be refused) before the labels are read.
  const images = await readIdx(path, limits);
  const labels = labelsPath ? await readIdx(labelsPath, limits) : undefined;
  return idxToDataset(images, labels, datasetNameFromPath(path));
}

/** Loads an .npy file (raw or gzipped); `maxBytes` bounds the memory it may plan (default: half of RAM). */
export async function loadNpyFile(path: string, options: { imageShape?: ImageShape } & ReadLimits = {}): Promise<Dataset> {
  const { maxBytes, ...rest } = options;
  return npyToDataset(await readNpy(path, { maxBytes }), datasetNameFromPath(path), rest);
}

/** Loads a CSV file; `maxBytes` bounds the memory it may plan (default: half of RAM). */
export async function loadCsvFile(path: string, options: CsvOptions = {}): Promise<Dataset> {
  return readCsv(path, { name: datasetNameFromPath(path), ...options });
}
