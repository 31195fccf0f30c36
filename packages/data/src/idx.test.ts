import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { makeIdx } from './__fixtures__/build.js';
import { expectLatentkitError } from './__fixtures__/expect-error.js';
import { idxToDataset, parseIdx } from './idx.js';

// Two 2×3 "images", pixel values 0..255 spread out.
const pixels = [0, 51, 102, 153, 204, 255, 255, 0, 10, 20, 30, 40];
const images = makeIdx('uint8', [2, 2, 3], pixels);
const labels = makeIdx('uint8', [2], [7, 3]);

describe('parseIdx', () => {
  it('reads a raw uint8 3-D file', () => {
    const p = parseIdx(images);
    expect(p.dims).toEqual([2, 2, 3]);
    expect(p.dtype).toBe('uint8');
    expect(Array.from(p.data)).toEqual(pixels);
  });

  it('reads the same file gzipped, and from an ArrayBuffer', () => {
    const gz = gzipSync(images);
    expect(gz[0]).toBe(0x1f);
    expect(Array.from(parseIdx(gz).data)).toEqual(pixels);
    expect(Array.from(parseIdx(images.slice().buffer).data)).toEqual(pixels);
  });

  it('does not alias the caller buffer', () => {
    const copy = images.slice();
    const p = parseIdx(copy);
    copy[copy.length - 1] = 99;
    expect(p.data[p.data.length - 1]).toBe(40);
  });

  it('decodes big-endian multi-byte types', () => {
    expect(Array.from(parseIdx(makeIdx('int16', [3], [-2, 300, 32767])).data)).toEqual([-2, 300, 32767]);
    expect(Array.from(parseIdx(makeIdx('int32', [2], [-70000, 123456789])).data)).toEqual([-70000, 123456789]);
    expect(Array.from(parseIdx(makeIdx('int8', [2], [-128, 5])).data)).toEqual([-128, 5]);
    expect(Array.from(parseIdx(makeIdx('float32', [2], [1.5, -0.25])).data)).toEqual([1.5, -0.25]);
    const f64 = parseIdx(makeIdx('float64', [1, 2], [Math.PI, -1e300]));
    expect(f64.dtype).toBe('float64');
    expect(Array.from(f64.data)).toEqual([Math.PI, -1e300]);
  });

  it('reads a hand-written header byte for byte', () => {
    // 0x00 0x00 0x08 0x01, dim 2 (big-endian), then bytes 5 and 6.
    const p = parseIdx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 5, 6]));
    expect(p).toEqual({ dims: [2], dtype: 'uint8', data: new Uint8Array([5, 6]) });
  });

  it('refuses a wrong magic number', () => {
    const bad = images.slice();
    bad[0] = 1;
    expectLatentkitError(() => parseIdx(bad, 'x.idx'), 'E_INPUT_FORMAT', /^x\.idx: not an IDX file \(magic starts 01 00/);
  });

  it('refuses an unknown element type and zero dimensions', () => {
    const bad = images.slice();
    bad[2] = 0x0a;
    expectLatentkitError(() => parseIdx(bad), 'E_INPUT_FORMAT', /unsupported IDX element type 0a/);
    expectLatentkitError(() => parseIdx(new Uint8Array([0, 0, 8, 0])), 'E_INPUT_FORMAT', /0 dimensions/);
  });

  it('names expected and actual bytes when dims disagree with the length', () => {
    expectLatentkitError(() => parseIdx(images.subarray(0, images.length - 1), 'imgs'), 'E_INPUT_FORMAT', /^imgs: expected 28 bytes for 2×2×3 uint8 .* got 27$/);
    const extra = new Uint8Array(images.length + 3);
    extra.set(images);
    expectLatentkitError(() => parseIdx(extra), 'E_INPUT_FORMAT', /expected 28 bytes .* got 31/);
  });

  it('refuses a truncated header and tiny inputs', () => {
    expectLatentkitError(() => parseIdx(images.subarray(0, 10)), 'E_INPUT_FORMAT', /truncated IDX header: expected 16 bytes for 3 dimensions, got 10/);
    expectLatentkitError(() => parseIdx(new Uint8Array([0, 0])), 'E_INPUT_FORMAT', /not an IDX file \(only 2 bytes\)/);
  });

  it('refuses huge declared dimensions without allocating', () => {
    const huge = makeIdx('float64', [0xffffffff, 0xffffffff, 0xffffffff], []);
    expectLatentkitError(() => parseIdx(huge), 'E_INPUT_FORMAT', /too large|expected/);
  });

  it('turns corrupt gzip into a clean error', () => {
    const gz = gzipSync(images);
    const flipped = gz.slice();
    flipped[12] = flipped[12]! ^ 0xff; // inside the deflate stream
    expectLatentkitError(() => parseIdx(flipped, 'a.gz'), 'E_INPUT_FORMAT', /^a\.gz: corrupt gzip data/);
    expectLatentkitError(() => parseIdx(gz.subarray(0, gz.length - 5), 'a.gz'), 'E_INPUT_FORMAT', /corrupt gzip data/);
    const badCrc = gz.slice();
    badCrc[badCrc.length - 8] = badCrc[badCrc.length - 8]! ^ 1;
    expectLatentkitError(() => parseIdx(badCrc), 'E_INPUT_FORMAT', /CRC-32 mismatch/);
    const hugeSize = gz.slice();
    hugeSize.set([0xff, 0xff, 0xff, 0xff], hugeSize.length - 4);
    expectLatentkitError(() => parseIdx(hugeSize), 'E_INPUT_FORMAT', /trailer claims 4294967295 bytes/);
  });

  it('stops inflating at the declared size when the data runs on (bomb with a forged or an honest trailer)', () => {
    // The header declares 28 bytes; a megabyte of zeros follows it inside the same gzip member.
    const padded = new Uint8Array(images.length + 2 ** 20);
    padded.set(images);
    const honest = gzipSync(padded);
    expectLatentkitError(() => parseIdx(honest, 'b.gz'), 'E_INPUT_FORMAT', /^b\.gz: corrupt gzip data \(the header declares 28 bytes but the gzip trailer 1048604\)$/);
    const forged = honest.slice();
    new DataView(forged.buffer).setUint32(forged.length - 4, 28, true);
    expectLatentkitError(() => parseIdx(forged, 'b.gz'), 'E_INPUT_FORMAT', /^b\.gz: corrupt gzip data \(inflates past the 28 bytes its gzip trailer declares\)$/);
  });
});

describe('idxToDataset', () => {
  it('scales uint8 pixels to [0, 1] with an image shape and labels', () => {
    const d = idxToDataset(parseIdx(images), parseIdx(labels), 'tiny');
    expect(d.name).toBe('tiny');
    expect([d.x.rows, d.x.cols]).toEqual([2, 6]);
    expect(d.imageShape).toEqual([2, 3, 1]);
    expect(Array.from(d.labels!)).toEqual([7, 3]);
    expect(d.x.data).toBeInstanceOf(Float32Array);
    pixels.forEach((v, i) => expect(d.x.data[i]).toBeCloseTo(v / 255, 7));
    expect(d.x.data[5]).toBe(1);
  });

  it('keeps 2-D data as plain rows and 4-D as multi-channel images, unscaled for non-uint8', () => {
    const flat = idxToDataset(parseIdx(makeIdx('float32', [2, 2], [1, 2, 3, 4])), undefined, 'flat');
    expect(flat.imageShape).toBeUndefined();
    expect(Array.from(flat.x.data)).toEqual([1, 2, 3, 4]);
    const rgb = idxToDataset(parseIdx(makeIdx('uint8', [1, 1, 2, 3], [0, 0, 0, 0, 0, 255])), undefined, 'rgb');
    expect(rgb.imageShape).toEqual([1, 2, 3]);
    expect(rgb.x.cols).toBe(6);
  });

  it('refuses label counts that differ, non-1-D labels and 1-D images', () => {
    expectLatentkitError(() => idxToDataset(parseIdx(images), parseIdx(makeIdx('uint8', [3], [1, 2, 3])), 'tiny'), 'E_SHAPE', /2 images but 3 labels/);
    expectLatentkitError(() => idxToDataset(parseIdx(images), parseIdx(makeIdx('uint8', [2, 1], [1, 2])), 'tiny'), 'E_SHAPE', /labels must be 1-D/);
    expectLatentkitError(() => idxToDataset(parseIdx(labels), undefined, 'l'), 'E_SHAPE', /at least 2 dimensions/);
  });

  it('refuses NaN in float images and negative labels', () => {
    expectLatentkitError(() => idxToDataset(parseIdx(makeIdx('float32', [2, 1], [1, NaN])), undefined, 'f'), 'E_INPUT_VALUE', /non-finite value \(NaN\) in sample 1/);
    expectLatentkitError(() => idxToDataset(parseIdx(images), parseIdx(makeIdx('int8', [2], [1, -1])), 'f'), 'E_INPUT_VALUE', /label 1 is -1/);
  });

  it('refuses an empty image file', () => {
    expectLatentkitError(() => idxToDataset(parseIdx(makeIdx('uint8', [0, 2, 2], [])), undefined, 'none'), 'E_EMPTY', /empty/);
  });
});
