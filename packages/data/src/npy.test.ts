import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { littleEndian, makeNpy } from './__fixtures__/build.js';
import { expectLatentkitError } from './__fixtures__/expect-error.js';
import { NUMPY_F4_2X3, NUMPY_F4_FORTRAN, NUMPY_F8_2X1, NUMPY_U1_2X2X3 } from './__fixtures__/numpy-files.js';
import { npyToDataset, parseNpy } from './npy.js';

const f4 = makeNpy({ descr: '<f4', shape: [2, 3], data: littleEndian('f4', [1, 2.5, -3, 0.125, 5, 6]) });

describe('parseNpy', () => {
  it('reads <f4 (version 1.0) with the header padded to a multiple of 64 bytes', () => {
    expect(f4.length).toBe(128 + 24); // the fixture pads like numpy does
    expect(parseNpy(f4)).toEqual({ shape: [2, 3], data: new Float32Array([1, 2.5, -3, 0.125, 5, 6]) });
  });

  it('reads <f8, |u1, |i1, <i2, <i4 and <i8', () => {
    const f8 = parseNpy(makeNpy({ descr: '<f8', shape: [2], data: littleEndian('f8', [0.1, -1e10]) }));
    expect(Array.from(f8.data)).toEqual([Math.fround(0.1), -1e10]);
    expect(Array.from(parseNpy(makeNpy({ descr: '|u1', shape: [3], data: new Uint8Array([0, 128, 255]) })).data)).toEqual([0, 128, 255]);
    expect(Array.from(parseNpy(makeNpy({ descr: '|i1', shape: [2], data: new Uint8Array([0xff, 0x80]) })).data)).toEqual([-1, -128]);
    expect(Array.from(parseNpy(makeNpy({ descr: '<i2', shape: [2], data: littleEndian('i2', [-300, 7]) })).data)).toEqual([-300, 7]);
    expect(Array.from(parseNpy(makeNpy({ descr: '<i4', shape: [2], data: littleEndian('i4', [-70000, 9]) })).data)).toEqual([-70000, 9]);
    expect(Array.from(parseNpy(makeNpy({ descr: '<i8', shape: [2], data: littleEndian('i8', [-5, 2 ** 40]) })).data)).toEqual([-5, 2 ** 40]);
  });

  it('reads versions 2.0 and 3.0 and scalar/1-D shapes', () => {
    for (const version of [2, 3] as const) {
      const p = parseNpy(makeNpy({ descr: '<f4', shape: [1, 2], data: littleEndian('f4', [7, 8]), version }));
      expect(p).toEqual({ shape: [1, 2], data: new Float32Array([7, 8]) });
    }
    expect(parseNpy(makeNpy({ descr: '<f4', shape: [], data: littleEndian('f4', [4]) })).shape).toEqual([]);
  });

  it('reads f4 data at an unaligned offset inside a larger buffer', () => {
    const outer = new Uint8Array(f4.length + 1);
    outer.set(f4, 1);
    expect(Array.from(parseNpy(outer.subarray(1)).data)).toEqual([1, 2.5, -3, 0.125, 5, 6]);
  });

  it('refuses Fortran order, big-endian and unsupported dtypes', () => {
    const data = littleEndian('f4', [1, 2]);
    expectLatentkitError(() => parseNpy(makeNpy({ descr: '<f4', shape: [1, 2], data, fortran: true }), 'a.npy'), 'E_INPUT_FORMAT', /^a\.npy: Fortran-order/);
    expectLatentkitError(() => parseNpy(makeNpy({ descr: '>f4', shape: [2], data })), 'E_INPUT_FORMAT', /big-endian NPY dtype ">f4"/);
    expectLatentkitError(() => parseNpy(makeNpy({ descr: '|O', shape: [2], data })), 'E_INPUT_FORMAT', /unsupported NPY dtype "\|O"/);
    expectLatentkitError(() => parseNpy(makeNpy({ descr: '<c8', shape: [1], data })), 'E_INPUT_FORMAT', /unsupported NPY dtype "<c8"/);
    expectLatentkitError(() => parseNpy(makeNpy({ descr: '<U3', shape: [1], data })), 'E_INPUT_FORMAT', /unsupported NPY dtype/);
    const structured = "{'descr': [('a', '<f4'), ('b', '<f4')], 'fortran_order': False, 'shape': (1,), }";
    expectLatentkitError(() => parseNpy(makeNpy({ descr: '', shape: [], data, header: structured })), 'E_INPUT_FORMAT', /structured NPY dtypes/);
  });

  it('refuses truncated and over-long data, naming the byte counts', () => {
    expectLatentkitError(() => parseNpy(f4.subarray(0, f4.length - 2), 'x.npy'), 'E_INPUT_FORMAT', /^x\.npy: truncated NPY data: expected 24 bytes for 2×3 <f4, got 22$/);
    const long = new Uint8Array(f4.length + 4);
    long.set(f4);
    expectLatentkitError(() => parseNpy(long), 'E_INPUT_FORMAT', /4 unexpected trailing bytes/);
    expectLatentkitError(() => parseNpy(f4.subarray(0, 40)), 'E_INPUT_FORMAT', /truncated NPY header/);
  });

  it('reads a gzipped file and refuses a header longer than any array needs', () => {
    const raw = makeNpy({ descr: '<f4', shape: [2, 2], data: littleEndian('f4', [1, 2, 3, 4]) });
    expect(Array.from(parseNpy(gzipSync(raw)).data)).toEqual([1, 2, 3, 4]);
    const long = makeNpy({ descr: '<f4', shape: [1], data: littleEndian('f4', [1]), version: 2, header: `{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'pad': '${'x'.repeat(70000)}'}` });
    expectLatentkitError(() => parseNpy(long, 'l.npy'), 'E_INPUT_FORMAT', /^l\.npy: NPY header declares 70068 bytes \(more than 65536\); not an array header$/);
  });

  it('refuses a wrong magic, an unknown version and a malformed header', () => {
    const bad = f4.slice();
    bad[1] = 0x4f;
    expectLatentkitError(() => parseNpy(bad), 'E_INPUT_FORMAT', /not an NPY file/);
    const v9 = f4.slice();
    v9[6] = 9;
    expectLatentkitError(() => parseNpy(v9), 'E_INPUT_FORMAT', /unsupported NPY format version 9\.0/);
    const noShape = makeNpy({ descr: '', shape: [], data: new Uint8Array(0), header: "{'descr': '<f4', 'fortran_order': False}" });
    expectLatentkitError(() => parseNpy(noShape), 'E_INPUT_FORMAT', /no "shape"/);
    const badShape = makeNpy({ descr: '', shape: [], data: new Uint8Array(0), header: "{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }" });
    expectLatentkitError(() => parseNpy(badShape), 'E_INPUT_FORMAT', /invalid NPY shape entry "x"/);
  });
});

describe('parseNpy on files written by numpy', () => {
  it('reads <f4, |u1 and <f8 arrays', () => {
    expect(parseNpy(NUMPY_F4_2X3)).toEqual({ shape: [2, 3], data: new Float32Array([1.5, -2, 0.1, 0.25, 3, 1e-3]) });
    expect(parseNpy(NUMPY_U1_2X2X3)).toEqual({ shape: [2, 2, 3], data: Float32Array.from({ length: 12 }, (_, i) => i * 20) });
    expect(parseNpy(NUMPY_F8_2X1)).toEqual({ shape: [2, 1], data: new Float32Array([Math.PI, -Math.E]) });
  });

  it('refuses numpy Fortran order', () => {
    expectLatentkitError(() => parseNpy(NUMPY_F4_FORTRAN), 'E_INPUT_FORMAT', /Fortran-order/);
  });
});

describe('npyToDataset', () => {
  it('maps 2-D to rows × columns', () => {
    const d = npyToDataset(parseNpy(f4), 'table');
    expect([d.x.rows, d.x.cols, d.imageShape]).toEqual([2, 3, undefined]);
    expect(d.labels).toBeUndefined();
  });

  it('maps 3-D (n,h,w) to [h,w,1] images and 4-D (n,h,w,c) to [h,w,c]', () => {
    const gray = npyToDataset({ shape: [2, 2, 3], data: new Float32Array(12) }, 'g');
    expect([gray.x.rows, gray.x.cols, gray.imageShape]).toEqual([2, 6, [2, 3, 1]]);
    const rgb = npyToDataset({ shape: [1, 2, 2, 3], data: new Float32Array(12) }, 'c');
    expect([rgb.x.rows, rgb.x.cols, rgb.imageShape]).toEqual([1, 12, [2, 2, 3]]);
  });

  it('accepts an explicit image shape for 2-D data and checks it', () => {
    expect(npyToDataset({ shape: [1, 4], data: new Float32Array(4) }, 'i', { imageShape: [2, 2, 1] }).imageShape).toEqual([2, 2, 1]);
    expectLatentkitError(() => npyToDataset({ shape: [1, 4], data: new Float32Array(4) }, 'i', { imageShape: [3, 2, 1] }), 'E_SHAPE', /does not match 4 features/);
  });

  it('refuses 1-D / 5-D arrays, non-finite values and empty arrays', () => {
    expectLatentkitError(() => npyToDataset({ shape: [3], data: new Float32Array(3) }, 'v'), 'E_SHAPE', /shape 3 is not 2-D/);
    expectLatentkitError(() => npyToDataset({ shape: [1, 1, 1, 1, 1], data: new Float32Array(1) }, 'v'), 'E_SHAPE', /1×1×1×1×1/);
    expectLatentkitError(() => npyToDataset({ shape: [1, 2], data: new Float32Array([0, Infinity]) }, 'v'), 'E_INPUT_VALUE', /non-finite value \(Infinity\) at row 0, column 1/);
    expectLatentkitError(() => npyToDataset({ shape: [0, 2], data: new Float32Array(0) }, 'v'), 'E_EMPTY', /empty/);
  });
});
