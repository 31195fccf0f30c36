import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { littleEndian, makeIdx, makeNpy } from './__fixtures__/build.js';
import { expectRejectsLatentkit } from './__fixtures__/expect-error.js';
import { FASHION_MNIST_LABELS } from './fashion.js';
import {
  DATA_SOURCES,
  DEFAULT_FASHION_MNIST_DIR,
  dataSourceFiles,
  findIdxLabels,
  loadCsvFile,
  loadDataSource,
  loadFashionMnist,
  loadIdxFile,
  loadMnist,
  loadMnistSplit,
  loadNpyFile,
} from './node.js';

function classCounts(labels: Int32Array, classes = 10): number[] {
  const out = new Array<number>(classes).fill(0);
  for (const l of labels) out[l]!++;
  return out;
}

describe('loadMnist', () => {
  it('loads 10,000 digits with the per-class counts of the mnist package, values in [0, 1]', async () => {
    const d = await loadMnist();
    expect([d.name, d.x.rows, d.x.cols, d.imageShape]).toEqual(['mnist', 10000, 784, [28, 28, 1]]);
    expect(classCounts(d.labels!)).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    let min = Infinity;
    let max = -Infinity;
    for (const v of d.x.data) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect([min, max]).toEqual([0, 1]);
    expect(await loadMnist()).toBe(d); // cached
  });

  it('splits 8,000 / 2,000 by default, stratified by largest remainder (hand-checked)', async () => {
    const { train, test } = await loadMnistSplit();
    expect([train.x.rows, test.x.rows]).toEqual([8000, 2000]);
    // count/5 per class; floors sum to 1996 and the 4 largest remainders (.8,.8,.6,.6) are digits 6, 8, 5, 9.
    expect(classCounts(test.labels!)).toEqual([200, 225, 198, 206, 196, 173, 203, 214, 189, 196]);
    expect(train.imageShape).toEqual([28, 28, 1]);
    const again = await loadMnistSplit({ seed: 0 });
    expect(Array.from(again.test.labels!.subarray(0, 50))).toEqual(Array.from(test.labels!.subarray(0, 50)));
    const other = await loadMnistSplit({ seed: 1, test: 500 });
    expect(other.test.x.rows).toBe(500);
  });
});

const hasFashion = existsSync(DEFAULT_FASHION_MNIST_DIR);

describe('loadFashionMnist', () => {
  const title = hasFashion
    ? `loads 60k/10k images of 784 pixels from ${DEFAULT_FASHION_MNIST_DIR}`
    : `SKIPPED: ${DEFAULT_FASHION_MNIST_DIR} is absent (apt-get install dataset-fashion-mnist); CI must have it`;
  it.skipIf(!hasFashion)(title, async () => {
    const { train, test } = await loadFashionMnist();
    expect([train.x.rows, train.x.cols, test.x.rows, test.x.cols]).toEqual([60000, 784, 10000, 784]);
    expect(train.imageShape).toEqual([28, 28, 1]);
    expect(train.labelNames).toEqual(FASHION_MNIST_LABELS);
    expect(classCounts(train.labels!)).toEqual(new Array(10).fill(6000));
    expect(classCounts(test.labels!)).toEqual(new Array(10).fill(1000));
    let max = 0;
    for (let i = 0; i < test.x.data.length; i++) max = Math.max(max, test.x.data[i]!);
    expect(max).toBe(1);
  });

  it('says how to install it when the folder is missing', async () => {
    await expectRejectsLatentkit(
      loadFashionMnist({ dataDir: '/nonexistent/fm' }),
      'E_IO',
      /^Fashion-MNIST not found in \/nonexistent\/fm: install the Debian package dataset-fashion-mnist \(apt-get install dataset-fashion-mnist\) or pass --data-dir/,
    );
  });
});

describe('file loaders', () => {
  let dir: string;
  const pixels = Array.from({ length: 10 * 4 }, (_, i) => (i * 37) % 256);
  const labels = [0, 1, 0, 1, 0, 1, 0, 1, 0, 1];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'latentkit-data-'));
    await writeFile(join(dir, 'toy-images-idx3-ubyte.gz'), gzipSync(makeIdx('uint8', [10, 2, 2], pixels)));
    await writeFile(join(dir, 'toy-labels-idx1-ubyte.gz'), gzipSync(makeIdx('uint8', [10], labels)));
    await writeFile(join(dir, 'raw-images'), makeIdx('uint8', [10, 2, 2], pixels));
    await writeFile(join(dir, 'raw-labels.gz'), gzipSync(makeIdx('uint8', [10], labels)));
    await writeFile(join(dir, 'alone.idx'), makeIdx('uint8', [10, 4], pixels));
    const gz = gzipSync(makeIdx('uint8', [10, 4], pixels));
    gz[gz.length - 8] = gz[gz.length - 8]! ^ 1;
    await writeFile(join(dir, 'bad-crc.gz'), gz);
    const values = Array.from({ length: 20 * 3 }, (_, i) => i / 10);
    await writeFile(join(dir, 'points.npy'), makeNpy({ descr: '<f4', shape: [20, 3], data: littleEndian('f4', values) }));
    await writeFile(join(dir, 'short.npy'), makeNpy({ descr: '<f4', shape: [20, 3], data: littleEndian('f4', values.slice(1)) }));
    const rows = Array.from({ length: 20 }, (_, i) => `${i},${i * 2},${i % 2 ? 'odd' : 'even'}`);
    await writeFile(join(dir, 'points.csv'), ['a,b,label', ...rows].join('\n'));
    await writeFile(join(dir, 'bad.csv'), 'a,b\n1,2\n3,oops\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads an IDX file with its sibling labels file', async () => {
    expect(await findIdxLabels(join(dir, 'toy-images-idx3-ubyte.gz'))).toBe(join(dir, 'toy-labels-idx1-ubyte.gz'));
    expect(await findIdxLabels(join(dir, 'raw-images'))).toBe(join(dir, 'raw-labels.gz'));
    expect(await findIdxLabels(join(dir, 'alone.idx'))).toBeUndefined();
    const d = await loadIdxFile(join(dir, 'toy-images-idx3-ubyte.gz'));
    expect([d.name, d.x.rows, d.x.cols, d.imageShape]).toEqual(['toy-images-idx3-ubyte', 10, 4, [2, 2, 1]]);
    expect(Array.from(d.labels!)).toEqual(labels);
    pixels.forEach((v, i) => expect(d.x.data[i]).toBeCloseTo(v / 255, 7));
    expect((await loadIdxFile(join(dir, 'raw-images'))).labels).toBeDefined();
    expect((await loadIdxFile(join(dir, 'raw-images'), { labelsPath: null })).labels).toBeUndefined();
  });

  it('names the file in IDX, NPY and CSV errors', async () => {
    await expectRejectsLatentkit(loadIdxFile(join(dir, 'bad-crc.gz')), 'E_INPUT_FORMAT', /bad-crc\.gz: corrupt gzip data/);
    await expectRejectsLatentkit(loadNpyFile(join(dir, 'short.npy')), 'E_INPUT_FORMAT', /short\.npy: truncated NPY data/);
    await expectRejectsLatentkit(loadCsvFile(join(dir, 'bad.csv')), 'E_INPUT_FORMAT', /bad\.csv: "oops" is not a number at line 3, column 2/);
    await expectRejectsLatentkit(loadCsvFile(join(dir, 'missing.csv')), 'E_IO', /cannot read .*missing\.csv: no such file/);
    await expectRejectsLatentkit(loadNpyFile(dir), 'E_IO', /it is a directory/);
  });

  it('loads NPY and CSV files with names from the path', async () => {
    const npy = await loadNpyFile(join(dir, 'points.npy'));
    expect([npy.name, npy.x.rows, npy.x.cols]).toEqual(['points', 20, 3]);
    const csv = await loadCsvFile(join(dir, 'points.csv'));
    expect([csv.name, csv.x.rows, csv.x.cols, csv.labelNames]).toEqual(['points', 20, 2, ['even', 'odd']]);
  });

  it('loadDataSource splits file sources 80/20 and reports what it loaded', async () => {
    const idx = await loadDataSource(`idx:${join(dir, 'toy-images-idx3-ubyte.gz')}`, { seed: 2 });
    expect([idx.train.x.rows, idx.test.x.rows]).toEqual([8, 2]);
    expect(classCounts(idx.test.labels!, 2)).toEqual([1, 1]);
    expect(idx.source).toContain(`labels ${join(dir, 'toy-labels-idx1-ubyte.gz')}`);
    const npy = await loadDataSource(`npy:${join(dir, 'points.npy')}`);
    expect([npy.train.x.rows, npy.test.x.rows]).toEqual([16, 4]);
    expect(npy.source).toMatch(/^npy:.*points\.npy, 16\/4 split, seed 0$/);
    const csv = await loadDataSource(`csv:${join(dir, 'points.csv')}`, { test: 5 });
    expect([csv.train.x.rows, csv.test.x.rows]).toEqual([15, 5]);
    const mnist = await loadDataSource('mnist', { test: 1000 });
    expect([mnist.train.x.rows, mnist.test.x.rows]).toEqual([9000, 1000]);
  });

  it('reports progress up to 1 and honours an aborted signal', async () => {
    const fractions: number[] = [];
    await loadDataSource(`csv:${join(dir, 'points.csv')}`, { onProgress: (e) => fractions.push(e.fraction!) });
    expect(fractions[0]).toBe(0);
    expect(fractions.at(-1)).toBe(1);
    expect([...fractions].sort((a, b) => a - b)).toEqual(fractions);
    const controller = new AbortController();
    controller.abort();
    await expectRejectsLatentkit(loadDataSource('mnist', { signal: controller.signal }), 'E_ABORTED', /data loading was cancelled/);
    await expectRejectsLatentkit(loadFashionMnist({ signal: controller.signal }), 'E_ABORTED', /cancelled/);
  });

  it('refuses unknown data sources with the list of known ones', async () => {
    await expectRejectsLatentkit(
      loadDataSource('cifar'),
      'E_UNKNOWN_DATA',
      /^unknown data source "cifar" \(expected mnist, fashion-mnist, idx:PATH, npy:PATH, csv:PATH, arrow:PATH or parquet:PATH\)$/,
    );
    await expectRejectsLatentkit(loadDataSource('fashion-mnist', { dataDir: join(dir, 'nope') }), 'E_IO', /Fashion-MNIST not found/);
  });

  it('names the files a source reads, for callers that must not overwrite them', async () => {
    expect(await dataSourceFiles(`idx:${join(dir, 'toy-images-idx3-ubyte.gz')}`)).toEqual([join(dir, 'toy-images-idx3-ubyte.gz'), join(dir, 'toy-labels-idx1-ubyte.gz')]);
    expect(await dataSourceFiles(`csv:${join(dir, 'points.csv')}`)).toEqual([join(dir, 'points.csv')]);
    expect(await dataSourceFiles('fashion-mnist', { dataDir: '/data/fm' })).toEqual(['/data/fm']);
    expect(await dataSourceFiles('mnist')).toEqual([]);
  });

  it('lists every source loadDataSource accepts', () => {
    expect(DATA_SOURCES.map((s) => s.name)).toEqual(['mnist', 'fashion-mnist', 'idx:PATH', 'npy:PATH', 'csv:PATH', 'arrow:PATH', 'parquet:PATH']);
    for (const s of DATA_SOURCES) expect(s.description.length).toBeGreaterThan(10);
  });
});
