// Browser-safe table readers (apache-arrow, hyparquet), in an entry of their own so that importing the main
// entry does not load them. Node file paths: openRowSource('arrow:PATH' | 'parquet:PATH') in ./node.
export { openArrowRowSource, type ArrowInput, type OpenArrowInput } from './rows/arrow-rows.js';
export { openParquetRowSource, type OpenParquetInput, type ParquetSourceOptions } from './rows/parquet-rows.js';
export { describeArrowField } from './rows/arrow-columns.js';
export { describeParquetColumn } from './rows/parquet-columns.js';
export { planColumns, type TableColumn, type FeatureColumn, type ColumnPlan } from './rows/table-columns.js';
