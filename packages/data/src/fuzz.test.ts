// Property tests: whatever bytes or text come in, the parsers either return a self-consistent
// result or throw a LatentkitError — never another error type, never a hang.
import { isLatentkitError } from '@latentkit/core';
import fc from 'fast-check';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { littleEndian, makeIdx, makeNpy } from './__fixtures__/build.js';
import { parseCsv } from './csv.js';
import { parseIdx } from './idx.js';
import { parseNpy } from './npy.js';

const RUNS = { numRuns: 300, seed: 20240601 };

/** Calls fn; a LatentkitError counts as a clean refusal (undefined), anything else is rethrown. */
function outcome<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (isLatentkitError(e)) return undefined;
    throw e;
  }
}

const product = (dims: number[]): number => dims.reduce((a, b) => a * b, 1);

/** A valid file with a few bytes overwritten, then possibly cut short or extended. */
function mutated(valid: Uint8Array): fc.Arbitrary<Uint8Array> {
  return fc
    .record({
      edits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
      cut: fc.option(fc.nat(), { nil: undefined }),
      extra: fc.uint8Array({ maxLength: 8 }),
    })
    .map(({ edits, cut, extra }) => {
      let bytes = valid.slice();
      for (const [at, value] of edits) bytes[at % bytes.length] = value;
      if (cut !== undefined) bytes = bytes.slice(0, cut % (bytes.length + 1));
      const out = new Uint8Array(bytes.length + extra.length);
      out.set(bytes);
      out.set(extra, bytes.length);
      return out;
    });
}

const idxFile = makeIdx('uint8', [3, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
const idxF32 = makeIdx('float32', [2, 2], [0.5, -1, 2, 8]);
const npyFile = makeNpy({ descr: '<f4', shape: [2, 3], data: littleEndian('f4', [1, 2, 3, 4, 5, 6]) });
const npyU1 = makeNpy({ descr: '|u1', shape: [4], data: new Uint8Array([1, 2, 3, 4]), version: 2 });

function checkIdx(bytes: Uint8Array): void {
  const r = outcome(() => parseIdx(bytes));
  if (r) expect(r.data.length).toBe(product(r.dims));
}

function checkNpy(bytes: Uint8Array): void {
  const r = outcome(() => parseNpy(bytes));
  if (r) expect(r.data.length).toBe(product(r.shape));
}

describe('parser robustness (fast-check)', () => {
  it('parseIdx: random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), checkIdx), RUNS);
  });

  it('parseIdx: mutated raw and gzipped files', () => {
    fc.assert(fc.property(fc.oneof(mutated(idxFile), mutated(idxF32), mutated(gzipSync(idxFile))), checkIdx), RUNS);
  });

  it('parseIdx: random bytes after a gzip header', () => {
    const header = new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (tail) => {
        const bytes = new Uint8Array(header.length + tail.length);
        bytes.set(header);
        bytes.set(tail, header.length);
        checkIdx(bytes);
      }),
      RUNS,
    );
  });

  it('parseNpy: random bytes, and random bytes after the magic', () => {
    const magic = npyFile.subarray(0, 8);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 96 }), fc.boolean(), (tail, withMagic) => {
        const bytes = withMagic ? new Uint8Array([...magic, ...tail]) : tail;
        checkNpy(bytes);
      }),
      RUNS,
    );
  });

  it('parseNpy: mutated valid files', () => {
    fc.assert(fc.property(fc.oneof(mutated(npyFile), mutated(npyU1)), checkNpy), RUNS);
  });

  it('parseCsv: random CSV-like text, with any label option', () => {
    const unit = fc.constantFrom('0', '1', '7', '.', '-', '+', 'e', ',', ',', '\n', '\r', ' ', '"', 'a', 'NaN', 'inf', 'x');
    const labelColumn = fc.constantFrom<'none' | 'first' | 'last' | number | string | undefined>(undefined, 'none', 'first', 'last', 0, -1, 3, 'a');
    const header = fc.constantFrom<'auto' | boolean | undefined>(undefined, 'auto', true, false);
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 80 }), labelColumn, header, (text, lc, h) => {
        const d = outcome(() => parseCsv(text, { labelColumn: lc, header: h }));
        if (!d) return;
        expect(d.x.data.length).toBe(d.x.rows * d.x.cols);
        expect(d.x.rows).toBeGreaterThan(0);
        for (const v of d.x.data) expect(Number.isFinite(v)).toBe(true);
        if (d.labels) expect(d.labels.length).toBe(d.x.rows);
      }),
      RUNS,
    );
  });

  it('parseCsv: arbitrary unicode text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        outcome(() => parseCsv(text));
      }),
      RUNS,
    );
  });
});
