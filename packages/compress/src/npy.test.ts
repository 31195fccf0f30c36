import { describe, expect, it } from 'vitest';
import { createMatrix } from '@latentkit/core';
import { parseNpy } from '@latentkit/data';
import { matrixToNpy } from './npy.js';

describe('matrixToNpy', () => {
  it('writes an NPY file that the data package reads back exactly', () => {
    const m = createMatrix(3, 5, Float32Array.from({ length: 15 }, (_, k) => k / 7 - 1));
    const bytes = matrixToNpy(m);
    const headerLength = new DataView(bytes.buffer).getUint16(8, true);
    expect((10 + headerLength) % 64).toBe(0);
    const back = parseNpy(bytes);
    expect(back.shape).toEqual([3, 5]);
    expect(back.data).toEqual(m.data);
  });
});
