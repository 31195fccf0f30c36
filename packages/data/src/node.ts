// Node entry: everything that touches file paths or node: modules.
export { loadMnist, loadMnistSplit } from './node/mnist.js';
export { loadFashionMnist, DEFAULT_FASHION_MNIST_DIR } from './node/fashion.js';
export { loadIdxFile, loadNpyFile, loadCsvFile, findIdxLabels, datasetNameFromPath } from './node/files.js';
export { loadDataSource, dataSourceFiles, type DataSourceOptions, type LoadedDataSource } from './node/source.js';
export { DATA_SOURCES } from './sources.js';
export type { LoadControl } from './node/control.js';
export { defaultMaxDataBytes, nodeMachineMemory } from './node/read.js';
export { openRowSource, parseRowSourceSpec, ROW_SOURCE_FORMATS, type RowSourceFormat, type RowSourceOptions } from './node/row-source.js';
export { openNpyRowSource } from './node/npy-rows.js';
