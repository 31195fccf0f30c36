import { describe, expect, it } from 'vitest';
import { bundleFiles, createBundle, float32Blob, parseManifest, readBundle, readFloat32Blob, BUNDLE_FORMAT_VERSION, MANIFEST_FILE } from './bundle.js';
import { LatentkitError } from './errors.js';

function sample() {
  return createBundle({
    kind: 'toy',
    specVersion: 1,
    options: { latentDim: 2, rate: 0.5 },
    inputShape: [3],
    latentDim: 2,
    seed: 7,
    metrics: { mse: 0.25 },
    blobs: { w: float32Blob([1, 2, 3, 4, 5, Math.PI], [2, 3]) },
  });
}

const reader = (files: Map<string, Uint8Array>) => async (f: string) => {
  const b = files.get(f);
  if (!b) throw new Error('ENOENT');
  return b;
};

describe('model bundle', () => {
  it('round-trips through its files bit-identically', async () => {
    const b = sample();
    const back = await readBundle(reader(bundleFiles(b)));
    expect(back.manifest).toEqual(b.manifest);
    expect(readFloat32Blob(back, 'w', [2, 3])).toEqual(Float32Array.from([1, 2, 3, 4, 5, Math.PI]));
  });

  it('refuses another format version, naming both versions', async () => {
    const files = bundleFiles(sample());
    const m = JSON.parse(new TextDecoder().decode(files.get(MANIFEST_FILE)));
    m.formatVersion = 99;
    files.set(MANIFEST_FILE, new TextEncoder().encode(JSON.stringify(m)));
    const err = await readBundle(reader(files)).catch((e) => e);
    expect(err).toBeInstanceOf(LatentkitError);
    expect(err.code).toBe('E_BUNDLE_VERSION');
    expect(err.message).toContain('99');
    expect(err.message).toContain(String(BUNDLE_FORMAT_VERSION));
  });

  it('detects truncated, corrupt and missing weights', async () => {
    const files = bundleFiles(sample());
    const good = files.get('w.bin')!;
    const truncated = new Map(files).set('w.bin', good.subarray(0, 10));
    await expect(readBundle(reader(truncated))).rejects.toThrow(/truncated/);
    const flipped = good.slice();
    flipped[3]! ^= 0xff;
    await expect(readBundle(reader(new Map(files).set('w.bin', flipped)))).rejects.toThrow(/checksum/);
    const missing = new Map(files);
    missing.delete('w.bin');
    await expect(readBundle(reader(missing))).rejects.toThrow(/w\.bin is missing/);
  });

  it('rejects malformed manifests with a clear message', () => {
    expect(() => parseManifest('{')).toThrow(/not valid JSON/);
    expect(() => parseManifest('{"format":"other"}')).toThrow(/not a latentkit bundle/);
    expect(() => parseManifest('[]')).toThrow(/JSON object/);
  });

  it('refuses blobs whose bytes disagree with their shape', () => {
    expect(() => createBundle({ kind: 'x', specVersion: 1, options: {}, inputShape: [1], latentDim: 1, blobs: { w: { dtype: 'float32', shape: [3], bytes: new Uint8Array(8) } } })).toThrow(
      /needs 12/,
    );
  });

  it('readFloat32Blob checks the expected shape', () => {
    expect(() => readFloat32Blob(sample(), 'w', [3, 2])).toThrow(/expected \[3,2\]/);
  });
});
