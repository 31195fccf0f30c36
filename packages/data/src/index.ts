// Browser-safe entry: parsers work on bytes and strings only. File paths live in ./node.
export { parseIdx, idxToDataset, idxLayout, type IdxLayout, type ParsedIdx, type IdxDtype, type IdxData } from './idx.js';
export { parseNpy, npyToDataset, npyLayout, type NpyLayout, type ParsedNpy } from './npy.js';
export { checkMemory, datasetValues, formatBytes, MAX_DATA_BYTES_ENV } from './memory.js';
export { parseCsv, type CsvOptions } from './csv.js';
export { mnistFromDigitJson, MNIST_DIGIT_COUNTS, MNIST_LABELS } from './mnist.js';
export { FASHION_MNIST_LABELS, FASHION_MNIST_FILES } from './fashion.js';
export { splitMembership, stratifiedSplit, type SplitOptions } from './split.js';
export {
  gaussianMixtureProcess,
  DEFAULT_GAUSSIAN_MIXTURE,
  type GaussianMixtureSpec,
  type GaussianMixtureProcess,
  type Covariance2,
} from './mixture.js';
export { DATA_SOURCES } from './sources.js';
export { isGzip, gunzip, type GunzipOptions } from './gzip.js';
export { datasetRowSource } from './rows/memory-source.js';
export { collectDataset, type CollectedDataset, type CollectOptions } from './rows/collect.js';
export { labelCoding, MAX_LABEL_CLASSES, type LabelCoding } from './rows/labels.js';
export { defaultBatchRows } from './rows/batch-size.js';
export type { TableColumnOptions } from './rows/table-options.js';
export { float16ToFloat32 } from './float16.js';
export { parseTableSpec, formatTableSpec, mergeTableOptions, TABLE_FORMATS, type TableFormat, type TableSpec } from './rows/table-spec.js';
