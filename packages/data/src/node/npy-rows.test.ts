import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { littleEndian, makeNpy } from '../__fixtures__/build.js';
import { expectRejectsLatentkit } from '../__fixtures__/expect-error.js';
import { collectDataset } from '../rows/collect.js';
import { firstNonFinite, openNpyRowSource } from './npy-rows.js';
import { openRowSource } from './row-source.js';

let dir: string;
const ROWS = 1000;
const COLS = 64;
/** Value at (r, c): distinct per cell and exact in float32. */
const value = (r: number, c: number) => r * 0.5 - c * 0.25;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lk-npy-rows-'));
  const values = Array.from({ length: ROWS * COLS }, (_, i) => value(Math.floor(i / COLS), i % COLS));
  await writeFile(join(dir, 'big.npy'), makeNpy({ descr: '<f4', shape: [ROWS, COLS], data: littleEndian('f4', values) }));
  const half = new Uint8Array(4 * 2);
  new DataView(half.buffer).setUint16(0, 0x3c00, true); // 1
  new DataView(half.buffer).setUint16(2, 0xc000, true); // -2
  new DataView(half.buffer).setUint16(4, 0x3555, true); // ≈ 1/3
  new DataView(half.buffer).setUint16(6, 0x7bff, true); // 65504
  await writeFile(join(dir, 'half.npy'), makeNpy({ descr: '<f2', shape: [2, 2], data: half }));
  const full = makeNpy({ descr: '<f4', shape: [10, 4], data: littleEndian('f4', Array.from({ length: 40 }, (_, i) => i)) });
  await writeFile(join(dir, 'truncated.npy'), full.subarray(0, full.length - 3));
  await writeFile(join(dir, 'vector.npy'), makeNpy({ descr: '<f4', shape: [4], data: littleEndian('f4', [1, 2, 3, 4]) }));
  await writeFile(join(dir, 'nan.npy'), makeNpy({ descr: '<f4', shape: [3, 2], data: littleEndian('f4', [0, 1, 2, NaN, 4, 5]) }));
  if (process.platform !== 'win32') spawnSync('mkfifo', [join(dir, 'pipe.npy')]);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('openNpyRowSource', () => {
  it('yields every value in order, in batches of batchRows (the last one shorter) with their offsets', async () => {
    const source = await openNpyRowSource(join(dir, 'big.npy'));
    expect([source.name, source.rows, source.cols]).toEqual(['big', ROWS, COLS]);
    const sizes: number[] = [];
    let next = 0;
    for await (const batch of source.batches({ batchRows: 300 })) {
      expect(batch.offset).toBe(next);
      sizes.push(batch.x.rows);
      for (let r = 0; r < batch.x.rows; r++) {
        for (let c = 0; c < COLS; c++) if (batch.x.data[r * COLS + c] !== value(next + r, c)) throw new Error(`row ${next + r} col ${c}`);
      }
      next += batch.x.rows;
    }
    expect(sizes).toEqual([300, 300, 300, 100]);
  });

  it('holds one batch at a time: a file over LATENTKIT_MAX_DATA_BYTES streams, while collectDataset refuses it in one line', async () => {
    const fileBytes = ROWS * COLS * 4;
    vi.stubEnv('LATENTKIT_MAX_DATA_BYTES', String(fileBytes / 4));
    try {
      const source = await openRowSource(`npy:${join(dir, 'big.npy')}`);
      let rows = 0;
      for await (const batch of source.batches({ batchRows: 100 })) {
        // Each batch owns a buffer of its own rows only, not a view into a whole-file buffer.
        expect(batch.x.data.buffer.byteLength).toBeLessThanOrEqual(100 * COLS * 4);
        rows += batch.x.rows;
      }
      expect(rows).toBe(ROWS);
      await expectRejectsLatentkit(collectDataset(source), 'E_INPUT_FORMAT', /big: 1,000×64 float32 rows needs 256,000 bytes .* more than the limit of 64,000 bytes .*LATENTKIT_MAX_DATA_BYTES/);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('starts each pass again from the first row, and collectDataset gathers it whole', async () => {
    const source = await openNpyRowSource(join(dir, 'big.npy'));
    const firsts: number[] = [];
    for (let pass = 0; pass < 2; pass++) for await (const b of source.batches({ batchRows: 999 })) firsts.push(b.x.data[0]!);
    expect(firsts).toEqual([value(0, 0), value(999, 0), value(0, 0), value(999, 0)]);
    const d = await collectDataset(source, { batchRows: 7 });
    expect([d.x.rows, d.x.cols, d.x.data[ROWS * COLS - 1]]).toEqual([ROWS, COLS, value(ROWS - 1, COLS - 1)]);
  });

  it('decodes float16 (<f2) exactly', async () => {
    const d = await collectDataset(await openNpyRowSource(join(dir, 'half.npy')));
    expect(Array.from(d.x.data)).toEqual([1, -2, Math.fround(0.333251953125), 65504]);
  });

  it('refuses a truncated file, a 1-D array, NaN, a FIFO and a directory in one line naming the file', async () => {
    await expectRejectsLatentkit(openNpyRowSource(join(dir, 'truncated.npy')), 'E_INPUT_FORMAT', /truncated\.npy: truncated NPY data: expected 160 bytes for 10×4 <f4, got 157$/);
    await expectRejectsLatentkit(openNpyRowSource(join(dir, 'vector.npy')), 'E_SHAPE', /vector\.npy: NPY array of shape 4 is not 2-D/);
    const nan = await openNpyRowSource(join(dir, 'nan.npy'));
    await expectRejectsLatentkit(collectDataset(nan), 'E_INPUT_VALUE', /nan\.npy: non-finite value \(NaN\) at row 1, column 1$/);
    if (process.platform !== 'win32') await expectRejectsLatentkit(openNpyRowSource(join(dir, 'pipe.npy')), 'E_IO', /pipe\.npy: it is a FIFO \(named pipe\), not a regular file$/);
    await expectRejectsLatentkit(openNpyRowSource(dir), 'E_IO', /it is a directory$/);
  });

  it('firstNonFinite finds NaN and ±Infinity wherever they sit (in a block of eight or the tail), else −1', () => {
    const data = Float32Array.from({ length: 19 }, (_, i) => i * 1e30 - 3);
    expect(firstNonFinite(data)).toBe(-1);
    for (const bad of [NaN, Infinity, -Infinity]) {
      for (let at = 0; at < data.length; at++) {
        const copy = data.slice();
        copy[at] = bad;
        copy[18] = NaN; // a later one must not hide the first
        expect(firstNonFinite(copy), `${bad} at ${at}`).toBe(at);
      }
    }
  });

  it('openRowSource refuses column options for NPY and specs it cannot stream', async () => {
    await expectRejectsLatentkit(openRowSource(`npy:${join(dir, 'big.npy')}`, { labelColumn: 'y' }), 'E_OPTION', /big\.npy: an NPY file has no named columns, so labelColumn cannot apply/);
    await expectRejectsLatentkit(openRowSource('mnist'), 'E_UNKNOWN_DATA', /cannot read "mnist" in batches/);
  });
});
