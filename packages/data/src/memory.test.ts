import { afterEach, describe, expect, it } from 'vitest';
import { makeIdx } from './__fixtures__/build.js';
import { idxToDataset, parseIdx } from './idx.js';
import { datasetValues } from './memory.js';
import { parseNpy } from './npy.js';

const scope = globalThis as { crossOriginIsolated?: boolean };

describe('datasetValues (shared memory for whole datasets)', () => {
  afterEach(() => {
    delete scope.crossOriginIsolated;
  });

  it('is shared memory in Node, so worker threads can read rows without copies', () => {
    const values = datasetValues(6);
    expect(values.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(values.length).toBe(6);
  });

  it('is plain memory in a page that is not cross-origin isolated (where SharedArrayBuffer is refused)', () => {
    scope.crossOriginIsolated = false;
    expect(datasetValues(6).buffer).toBeInstanceOf(ArrayBuffer);
  });

  it('holds the rows the IDX and NPY readers return, with the same values', () => {
    const idx = idxToDataset(parseIdx(makeIdx('uint8', [2, 2, 2], [0, 51, 102, 255, 1, 2, 3, 4])), undefined, 'tiny');
    expect(idx.x.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(idx.x.data)).toEqual([0, 51, 102, 255, 1, 2, 3, 4].map((v) => Math.fround(v / 255)));
    const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }";
    const padded = header.padEnd(117, ' ') + '\n';
    const bytes = new Uint8Array(10 + padded.length + 16);
    bytes.set([0x93, ...Array.from('NUMPY', (c) => c.charCodeAt(0)), 1, 0, padded.length & 255, padded.length >> 8]);
    bytes.set(Array.from(padded, (c) => c.charCodeAt(0)), 10);
    new Float32Array(bytes.buffer, 10 + padded.length, 4).set([1.5, -2, 3, 4]);
    const npy = parseNpy(bytes);
    expect(npy.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(npy.data)).toEqual([1.5, -2, 3, 4]);
  });
});
