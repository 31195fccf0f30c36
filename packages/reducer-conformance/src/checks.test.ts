import { describe, expect, it } from 'vitest';
import {
  LatentkitError,
  REDUCER_SPEC_VERSION,
  assertCols,
  assertFinite,
  columnMeans,
  createBundle,
  createMatrix,
  float32Blob,
  readFloat32Blob,
  throwIfAborted,
  type Matrix,
  type ReducerPlugin,
} from '@latentkit/core';
import { conformanceChecks } from './checks.js';

/** A tiny correct reducer: codes are the first d centred features; decode puts them back over the mean. */
function truncationPlugin(flaws: { randomFit?: boolean; ignoreKind?: boolean; noShapeCheck?: boolean } = {}): ReducerPlugin {
  const make = (d: number, mean?: Float32Array) => {
    let mu = mean;
    const fitted = () => {
      if (!mu) throw new LatentkitError('E_NOT_FITTED', 'not fitted');
      return mu;
    };
    return {
      kind: 'trunc',
      latentDim: d,
      get inputDim() {
        return mu?.length;
      },
      get inputShape() {
        return mu ? [mu.length] : undefined;
      },
      get parameterCount() {
        return mu?.length ?? 0;
      },
      async fit(data: { x: Matrix }, o: { signal?: AbortSignal } = {}) {
        throwIfAborted(o.signal);
        assertFinite(data.x);
        if (d >= data.x.cols) throw new LatentkitError('E_OPTION', 'd too big');
        mu = Float32Array.from(columnMeans(data.x), (v) => v + (flaws.randomFit ? Math.random() : 0));
        return { seconds: 0 };
      },
      async encode(x: Matrix) {
        const m = fitted();
        if (!flaws.noShapeCheck) assertCols(x, m.length);
        assertFinite(x);
        const z = new Float32Array(x.rows * d);
        for (let i = 0; i < x.rows; i++) for (let k = 0; k < d; k++) z[i * d + k] = x.data[i * x.cols + k]! - m[k]!;
        return createMatrix(x.rows, d, z);
      },
      async decode(z: Matrix) {
        const m = fitted();
        assertCols(z, d);
        const out = new Float32Array(z.rows * m.length);
        for (let i = 0; i < z.rows; i++) for (let j = 0; j < m.length; j++) out[i * m.length + j] = m[j]! + (j < d ? z.data[i * d + j]! : 0);
        return createMatrix(z.rows, m.length, out);
      },
      async save() {
        const m = fitted();
        return createBundle({ kind: 'trunc', specVersion: 1, options: {}, inputShape: [m.length], latentDim: d, blobs: { mean: float32Blob(m, [m.length]) } });
      },
      dispose() {},
    };
  };
  return {
    specVersion: REDUCER_SPEC_VERSION,
    kind: 'trunc',
    description: 'truncation',
    options: {},
    create: ({ latentDim }) => make(latentDim),
    load: async (b) => {
      if (!flaws.ignoreKind && b.manifest.kind !== 'trunc') throw new LatentkitError('E_BUNDLE_CORRUPT', 'wrong kind');
      return make(b.manifest.latentDim, readFloat32Blob(b, 'mean'));
    },
  };
}

async function failures(plugin: ReducerPlugin): Promise<string[]> {
  const failed: string[] = [];
  for (const c of conformanceChecks(plugin)) {
    try {
      await c.run();
    } catch {
      failed.push(c.name);
    }
  }
  return failed;
}

describe('conformance checks', () => {
  it('a correct reducer passes every check', async () => {
    expect(await failures(truncationPlugin())).toEqual([]);
  });
  it('a non-deterministic fit fails determinism (and the round trip stays fine)', async () => {
    expect(await failures(truncationPlugin({ randomFit: true }))).toEqual(['is deterministic under a seed']);
  });
  it('a load that accepts any kind fails', async () => {
    expect(await failures(truncationPlugin({ ignoreKind: true }))).toEqual(['refuses a bundle of another kind']);
  });
  it('an encode that skips the shape check fails the bad-input check', async () => {
    expect(await failures(truncationPlugin({ noShapeCheck: true }))).toEqual(['refuses bad input with typed errors']);
  });
  it('a plugin of another spec version fails the first check', async () => {
    const f = await failures({ ...truncationPlugin(), specVersion: 2 });
    expect(f[0]).toBe('is a valid plugin of the supported spec version');
  });
});
