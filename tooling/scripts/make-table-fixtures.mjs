// Writes the Arrow and Parquet fixtures of @latentkit/data's table readers with implementations other than the
// ones the readers use: Arrow IPC by @uwdata/flechette (the readers use apache-arrow), Parquet by arrow-rs
// compiled to wasm (parquet-wasm; the readers use hyparquet). Debian has no python3-pyarrow, so no pyarrow.
// Also writes expected.json: every value as the writer holds it, which the tests compare against.
//
//   node tooling/scripts/make-table-fixtures.mjs     (from the repository root; both writers are devDependencies of packages/data)
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'packages/data/src/__fixtures__/tables');
const requireFromData = createRequire(join(root, 'packages/data/package.json'));
const load = (name) => import(pathToFileURL(requireFromData.resolve(name)).href);
const fl = await load('@uwdata/flechette');
const pw = await load('parquet-wasm');

const ROWS = 37; // no batch or row-group size used in the tests divides it
const DIM = 4;
const CLASSES = ['dog', 'cat', 'bird'];

const rows = Array.from({ length: ROWS }, (_, i) => ({
  id: `row-${String(i).padStart(3, '0')}`,
  label: CLASSES[i % 3],
  label_int: i % 4,
  // float32 vector; Math.fround gives the value the file stores.
  vec: Array.from({ length: DIM }, (_, j) => Math.fround(Math.sin(i * DIM + j) * (j + 1))),
  // float16 scalar: the writer rounds to half precision; expected.json keeps what it decodes back.
  h: (i - 18) / 3,
  f32: Math.fround(i * 0.1 - 1),
  f64: i / 7 - 2,
  u8: (i * 37) % 256,
  lst: [i, -i / 2, i * i],
}));

const types = {
  id: fl.utf8(),
  label: fl.dictionary(fl.utf8()),
  label_int: fl.int32(),
  vec: fl.fixedSizeList(fl.float32(), DIM),
  h: fl.float16(),
  f32: fl.float32(),
  f64: fl.float64(),
  u8: fl.uint8(),
  lst: fl.list(fl.float64()),
};
const names = Object.keys(types);
const table = fl.tableFromArrays(
  Object.fromEntries(names.map((n) => [n, rows.map((r) => r[n])])),
  { types, maxBatchRows: 16 }, // three record batches: 16, 16, 5
);

mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'embeddings.arrow'), fl.tableToIPC(table, { format: 'file' }));
writeFileSync(join(out, 'embeddings.arrows'), fl.tableToIPC(table, { format: 'stream' }));

// Parquet: the same table, through arrow-rs, in row groups of 10 (10, 10, 10, 7).
const parquetOf = (compression) =>
  pw.writeParquet(
    pw.Table.fromIPCStream(fl.tableToIPC(table, { format: 'stream' })),
    new pw.WriterPropertiesBuilder().setCompression(compression).setMaxRowGroupSize(10).build(),
  );
writeFileSync(join(out, 'embeddings.snappy.parquet'), parquetOf(pw.Compression.SNAPPY));
writeFileSync(join(out, 'embeddings.zstd.parquet'), parquetOf(pw.Compression.ZSTD));

// What the writer holds, read back through the writer itself (float16 rounded as stored).
const back = fl.tableFromIPC(fl.tableToIPC(table, { format: 'file' }));
const column = (n) => back.getChild(n).toArray();
const expected = {
  rows: ROWS,
  labelClasses: CLASSES,
  columns: {
    id: [...column('id')],
    label: [...column('label')],
    label_int: [...column('label_int')],
    vec: [...column('vec')].map((v) => [...v]),
    h: [...column('h')].map(Number),
    f32: [...column('f32')],
    f64: [...column('f64')],
    u8: [...column('u8')],
    lst: [...column('lst')].map((v) => [...v]),
  },
};
writeFileSync(join(out, 'expected.json'), JSON.stringify(expected, null, 1) + '\n');
console.log(`wrote ${names.length} columns × ${ROWS} rows to ${out}`);
