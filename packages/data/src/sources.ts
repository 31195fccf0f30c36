/** The data sources `loadDataSource` (in the Node entry) understands, for `latentkit list`. */
export const DATA_SOURCES: ReadonlyArray<{ name: string; description: string }> = [
  { name: 'mnist', description: 'MNIST digits embedded in the mnist package: 10,000 28×28 images, split 8,000 train / 2,000 test (stratified, seeded)' },
  { name: 'fashion-mnist', description: 'Fashion-MNIST from IDX files (default /usr/share/datasets/fashion-mnist): 60,000 train / 10,000 test 28×28 images, 10 classes' },
  { name: 'idx:PATH', description: 'an IDX images file (raw or .gz); a sibling labels file (images-idx3 → labels-idx1) is used when present; 80/20 split' },
  { name: 'npy:PATH', description: 'a NumPy .npy array (raw or .gz) (n,d), (n,h,w) or (n,h,w,c) of floats or integers; 80/20 split' },
  { name: 'csv:PATH', description: 'a numeric CSV file (header auto-detected; a column named "label" becomes the labels); 80/20 split' },
  { name: 'arrow:PATH', description: 'an Apache Arrow IPC file or stream, read a record batch at a time; numeric and vector columns (float16/32/64, ints) become features; pick them with --columns, labels with --label-column, ids with --id-column (recorded as arrow[columns=…;label=…;id=…]:PATH); 80/20 split' },
  { name: 'parquet:PATH', description: 'a Parquet file (snappy, gzip, zstd, brotli, lz4), read a row group at a time; columns as for arrow:PATH; 80/20 split' },
];
