import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bundleFiles, createBundle, float32Blob, parseManifest, readBundle } from './bundle.js';
import { isLatentkitError } from './errors.js';

const valid = () =>
  createBundle({ kind: 'toy', specVersion: 1, options: { a: 1 }, inputShape: [4], latentDim: 2, blobs: { w: float32Blob([1, 2, 3, 4, 5, 6, 7, 8], [2, 4]) } });

/** Either a valid result or a LatentkitError — never another kind of failure. */
async function typedOutcome(fn: () => unknown): Promise<'ok' | 'typed-error'> {
  try {
    await fn();
    return 'ok';
  } catch (e) {
    if (isLatentkitError(e)) return 'typed-error';
    throw e;
  }
}

describe('bundle parsing under random and mutated input', () => {
  it('random text as manifest.json ends in a typed error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), async (text) => {
        expect(await typedOutcome(() => parseManifest(text))).toBe('typed-error');
      }),
      { numRuns: 300 },
    );
  });

  it('random JSON values as manifest ends in a typed error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (v) => {
        expect(await typedOutcome(() => parseManifest(JSON.stringify(v)))).toBe('typed-error');
      }),
      { numRuns: 300 },
    );
  });

  it('mutating one field of a valid manifest gives a valid bundle or a typed error', async () => {
    const files = bundleFiles(valid());
    const manifest = JSON.parse(new TextDecoder().decode(files.get('manifest.json')));
    const paths = ['formatVersion', 'kind', 'specVersion', 'inputShape', 'latentDim', 'blobs', 'options', 'seed'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.jsonValue(), async (key, value) => {
        const m = { ...manifest, [key]: value };
        const mutated = new Map(files).set('manifest.json', new TextEncoder().encode(JSON.stringify(m)));
        await typedOutcome(() => readBundle(async (f) => mutated.get(f) ?? Promise.reject(new Error('ENOENT'))));
      }),
      { numRuns: 300 },
    );
  });

  it('flipping or truncating weight bytes is always detected', async () => {
    const files = bundleFiles(valid());
    const w = files.get('w.bin')!;
    await fc.assert(
      fc.asyncProperty(fc.nat(w.length - 1), fc.integer({ min: 1, max: 255 }), fc.boolean(), async (i, x, truncate) => {
        const bad = truncate ? w.subarray(0, i) : Uint8Array.from(w, (b, j) => (j === i ? b ^ x : b));
        const mutated = new Map(files).set('w.bin', bad);
        expect(await typedOutcome(() => readBundle(async (f) => mutated.get(f)!))).toBe('typed-error');
      }),
      { numRuns: 300 },
    );
  });
});
