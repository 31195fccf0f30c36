import { describe, expect, it } from 'vitest';
import { isLatentkitError } from '@latentkit/core';
import { readCompressedFile, writeCompressedFile } from './format.js';

const header = {
  model: { kind: 'pca', latentDim: 2, inputDim: 64, inputShape: [8, 8, 1], parameterCount: 192, source: 'runs/m' },
  data: 'mnist',
  images: 3,
  quantiser: { method: 'uniform-minmax' as const, bits: 4, min: [-1.5, 0], max: [2, 0.25] },
  coder: 'deflate',
};
const payload = Uint8Array.from([9, 8, 7, 6, 5]);

function refusal(bytes: Uint8Array): string {
  try {
    readCompressedFile(bytes, 'codes.lkz');
  } catch (e) {
    expect(isLatentkitError(e) && e.code).toBe('E_INPUT_FORMAT');
    const msg = (e as Error).message;
    expect(msg).not.toContain('\n');
    return msg;
  }
  throw new Error('the reader accepted a bad file');
}

/** The file with its header JSON replaced (the prefix's length field updated). */
function withHeader(json: string): Uint8Array {
  const good = writeCompressedFile(header, payload);
  const h = new TextEncoder().encode(json);
  const out = new Uint8Array(9 + h.length + payload.length);
  out.set(good.subarray(0, 5));
  new DataView(out.buffer).setUint32(5, h.length, true);
  out.set(h, 9);
  out.set(payload, 9 + h.length);
  return out;
}

describe('compressed file format', () => {
  it('reads back the header and payload it wrote, with the length and CRC filled in', () => {
    const file = writeCompressedFile(header, payload);
    expect(new TextDecoder().decode(file.subarray(0, 4))).toBe('LKCZ');
    const back = readCompressedFile(file);
    expect(back.payload).toEqual(payload);
    expect(back.header).toMatchObject({ ...header, format: 'latentkit-codes', version: 1, payloadBytes: 5 });
    expect(back.header.payloadCrc32).toBeGreaterThan(0);
  });

  it('refuses bad input in one line naming the file', () => {
    const good = writeCompressedFile(header, payload);
    expect(refusal(new TextEncoder().encode('hello world, not codes'))).toMatch(/^codes\.lkz: not a latentkit compressed file/);
    expect(refusal(good.subarray(0, 3))).toMatch(/no LKCZ signature/);
    const v2 = good.slice();
    v2[4] = 2;
    expect(refusal(v2)).toMatch(/format version 2 is not supported/);
    expect(refusal(good.subarray(0, good.length - 1))).toMatch(/payload is 4 bytes, the header says 5/);
    const flipped = good.slice();
    flipped[flipped.length - 1]! ^= 1;
    expect(refusal(flipped)).toMatch(/CRC-32 does not match/);
    const huge = good.slice();
    new DataView(huge.buffer).setUint32(5, 0xffffffff, true);
    expect(refusal(huge)).toMatch(/header claims 4294967295 bytes/);
    expect(refusal(withHeader('{not json'))).toMatch(/header is not valid JSON/);
  });

  it('refuses headers whose fields are missing or inconsistent', () => {
    const crcOf = readCompressedFile(writeCompressedFile(header, payload)).header.payloadCrc32;
    const make = (patch: Record<string, unknown>) => withHeader(JSON.stringify({ format: 'latentkit-codes', version: 1, ...header, payloadBytes: 5, payloadCrc32: crcOf, ...patch }));
    expect(refusal(make({ quantiser: { ...header.quantiser, min: [0] } }))).toMatch(/quantiser\.min must hold 2 finite numbers/);
    expect(refusal(make({ quantiser: { ...header.quantiser, bits: 12 } }))).toMatch(/bits must be 1…8, got 12/);
    expect(refusal(make({ quantiser: { ...header.quantiser, method: 'gaussian' } }))).toMatch(/method must be "uniform-minmax"/);
    expect(refusal(make({ quantiser: { ...header.quantiser, min: [3, 0] } }))).toMatch(/min exceeds its max/);
    expect(refusal(make({ images: -1 }))).toMatch(/images must be a count/);
    expect(refusal(make({ model: { kind: 'pca' } }))).toMatch(/header\.model must name/);
    expect(refusal(make({ format: 'zip' }))).toMatch(/not a latentkit-codes header/);
    // the same fields, correct, pass: the refusals above are for the patched field alone
    expect(readCompressedFile(make({})).header.images).toBe(3);
  });
});
