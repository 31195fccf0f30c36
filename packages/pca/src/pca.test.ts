import { createRng, isLatentkitError, type Matrix, mse } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { asDataset, gaussianSamples, lowRankPlusNoise, referenceCovariance } from './__fixtures__/synthetic.js';
import { covariance } from './covariance.js';
import { createPca, loadPca, Pca, pcaPlugin } from './index.js';

async function expectCode(p: Promise<unknown> | (() => unknown), code: string, text?: RegExp): Promise<void> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    expect(isLatentkitError(e), String(e)).toBe(true);
    expect((e as { code: string }).code).toBe(code);
    if (text) expect((e as Error).message).toMatch(text);
    return;
  }
  throw new Error(`expected ${code}`);
}

function columnVariances(z: Matrix): number[] {
  return Array.from({ length: z.cols }, (_, c) => {
    let s = 0, s2 = 0;
    for (let r = 0; r < z.rows; r++) {
      const v = z.data[r * z.cols + c]!;
      s += v;
      s2 += v * v;
    }
    return (s2 - (s * s) / z.rows) / (z.rows - 1);
  });
}

describe('covariance', () => {
  it('matches a plain float64 reference on general data', async () => {
    const x = lowRankPlusNoise(150, 13, 3, 0.3);
    const { covariance: c } = await covariance(x);
    const ref = referenceCovariance(x);
    for (let i = 0; i < ref.length; i++) expect(c[i]).toBeCloseTo(ref[i]!, 10);
  });

  it('matches the reference on 8-bit pixel data (exact integer path), odd D and a partial block', async () => {
    const rng = createRng(4);
    const n = 1100, D = 11; // four full 256-row kernel blocks and a partial one
    const data = new Float32Array(n * D);
    for (let i = 0; i < data.length; i++) data[i] = rng.next() < 0.4 ? 0 : Math.fround(rng.int(256) / 255);
    const x = { data, rows: n, cols: D };
    const result = await covariance(x);
    expect(result.byteData).toBe(true);
    const ref = referenceCovariance(x);
    // The packed path uses the exact pixel values k/255, the reference their float32 roundings:
    // they differ by float32 rounding (relative ≈ 6e-8), far above float64 noise.
    for (let a = 0; a < D; a++) {
      for (let b = 0; b < D; b++) {
        const scale = Math.sqrt(ref[a * D + a]! * ref[b * D + b]!);
        expect(Math.abs(result.covariance[a * D + b]! - ref[a * D + b]!)).toBeLessThan(2e-7 * scale);
      }
    }
  });
});

describe('Pca', () => {
  it('recovers the axes and variances of a 2-D Gaussian in closed form', async () => {
    // Covariance R diag(9, 1) Rᵀ with R a rotation by 30°: eigenvectors (cos, sin) and (−sin, cos).
    const t = Math.PI / 6, c = Math.cos(t), s = Math.sin(t);
    const chol = [3 * c, -s, 3 * s, c];
    const x = gaussianSamples(20000, [5, -2], chol);
    const pca = createPca({ latentDim: 2, solver: 'exact' });
    await pca.fit(asDataset(x));
    expect(pca.explainedVariance[0]).toBeCloseTo(9, 0);
    expect(pca.explainedVariance[1]).toBeCloseTo(1, 1);
    const v = pca.components.data;
    expect(Math.abs(v[0]! * c + v[1]! * s)).toBeGreaterThan(0.999);
    expect(Math.abs(-v[2]! * s + v[3]! * c)).toBeGreaterThan(0.999);
    expect(pca.mean[0]).toBeCloseTo(5, 1);
    expect(pca.mean[1]).toBeCloseTo(-2, 1);
    expect(pca.explainedVarianceRatio[0]! + pca.explainedVarianceRatio[1]!).toBeCloseTo(1, 6);
  });

  it('has orthonormal components for both solvers', async () => {
    const x = lowRankPlusNoise(300, 40, 6, 0.2);
    for (const solver of ['exact', 'randomized'] as const) {
      const pca = createPca({ latentDim: 8, solver });
      await pca.fit(asDataset(x), { seed: 3 });
      const { data: v, rows: k, cols: D } = pca.components;
      for (let a = 0; a < k; a++) {
        for (let b = 0; b < k; b++) {
          let dot = 0;
          for (let j = 0; j < D; j++) dot += v[a * D + j]! * v[b * D + j]!;
          expect(Math.abs(dot - (a === b ? 1 : 0))).toBeLessThan(1e-5);
        }
      }
    }
  });

  it('reconstructs the data exactly with all components', async () => {
    const x = lowRankPlusNoise(50, 12, 12, 0.5);
    const pca = createPca({ latentDim: 12, solver: 'exact' });
    await pca.fit(asDataset(x));
    const back = await pca.decode(await pca.encode(x));
    expect(mse(x, back)).toBeLessThan(1e-10);
    expect(pca.noiseVariance).toBe(0);
  });

  it('randomized agrees with exact on low-rank + noise data', async () => {
    const x = lowRankPlusNoise(600, 80, 5, 0.05);
    const exact = createPca({ latentDim: 5, solver: 'exact' });
    const randomized = createPca({ latentDim: 5, solver: 'randomized' });
    await exact.fit(asDataset(x));
    const info = await randomized.fit(asDataset(x), { seed: 11 });
    expect(info.info?.solver).toBe('randomized');
    for (let c = 0; c < 5; c++) expect(randomized.explainedVariance[c]! / exact.explainedVariance[c]!).toBeCloseTo(1, 5);
    // Same sign rule, so components agree entry by entry.
    const a = exact.components.data, b = randomized.components.data;
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i]!, 4);
    expect(randomized.noiseVariance).toBeCloseTo(exact.noiseVariance, 6);
  });

  it('applies scikit-learn’s u-based sign rule: the largest-|score| sample scores positive', async () => {
    const x = lowRankPlusNoise(200, 10, 3, 0.1, 7);
    const pca = createPca({ latentDim: 3 });
    await pca.fit(asDataset(x));
    const z = await pca.encode(x);
    for (let c = 0; c < 3; c++) {
      let best = 0;
      for (let r = 0; r < z.rows; r++) if (Math.abs(z.data[r * 3 + c]!) > Math.abs(best)) best = z.data[r * 3 + c]!;
      expect(best).toBeGreaterThan(0);
    }
  });

  it('picks k from a variance fraction (smallest k whose cumulative ratio exceeds it)', async () => {
    const x = lowRankPlusNoise(400, 30, 6, 0.3);
    const full = createPca({ latentDim: 30, solver: 'exact' });
    await full.fit(asDataset(x));
    const ratio = full.explainedVarianceRatio;
    let cum = 0, expected = 0;
    for (let i = 0; i < ratio.length && cum <= 0.9; i++) {
      cum += ratio[i]!;
      expected = i + 1;
    }
    const pca = createPca({ latentDim: 0.9 });
    const result = await pca.fit(asDataset(x));
    expect(pca.latentDim).toBe(expected);
    expect(result.info?.components).toBe(expected);
    expect(expected).toBeGreaterThan(1);
    expect(ratio.slice(0, expected - 1).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(0.9);
  });

  it('whitening gives unit-variance codes and decode undoes it', async () => {
    const x = lowRankPlusNoise(500, 20, 4, 0.2);
    const plain = createPca({ latentDim: 4 });
    const white = createPca({ latentDim: 4, whiten: true });
    await plain.fit(asDataset(x));
    await white.fit(asDataset(x));
    const z = await white.encode(x);
    for (const v of columnVariances(z)) expect(v).toBeCloseTo(1, 4);
    const a = await plain.decode(await plain.encode(x));
    const b = await white.decode(z);
    for (let i = 0; i < a.data.length; i++) expect(b.data[i]).toBeCloseTo(a.data[i]!, 4);
  });

  it('round-trips through a bundle with bit-identical codes', async () => {
    const x = lowRankPlusNoise(120, 16, 4, 0.2);
    const pca = createPca({ latentDim: 4, whiten: true });
    await pca.fit(asDataset(x), { seed: 5 });
    const bundle = await pca.save();
    expect([...bundle.blobs.keys()].sort()).toEqual(['components', 'explainedVariance', 'mean']);
    const loaded = await pcaPlugin.load(bundle);
    expect(loaded).toBeInstanceOf(Pca);
    const z1 = await pca.encode(x), z2 = await loaded.encode(x);
    expect(Buffer.from(z2.data.buffer).equals(Buffer.from(z1.data.buffer))).toBe(true);
    const d1 = await pca.decode(z1), d2 = await loaded.decode(z2);
    expect(Buffer.from(d2.data.buffer).equals(Buffer.from(d1.data.buffer))).toBe(true);
    expect((loaded as Pca).explainedVarianceRatio).toEqual(pca.explainedVarianceRatio);
  });

  it('refuses bundles whose blob shapes are wrong', async () => {
    const x = lowRankPlusNoise(60, 8, 2, 0.2);
    const pca = createPca({ latentDim: 2 });
    await pca.fit(asDataset(x));
    const bundle = await pca.save();
    const bad = { ...bundle, manifest: { ...bundle.manifest, latentDim: 3 } };
    await expectCode(loadPca(bad), 'E_BUNDLE_CORRUPT', /components/);
    const noTotal = { ...bundle, manifest: { ...bundle.manifest, extra: {} } };
    await expectCode(loadPca(noTotal), 'E_BUNDLE_CORRUPT', /totalVariance/);
  });

  it('reports progress, honours the seed, and stops when aborted', async () => {
    const x = lowRankPlusNoise(200, 30, 4, 0.3);
    const phases = new Set<string>();
    const a = createPca({ latentDim: 3, solver: 'randomized' });
    const b = createPca({ latentDim: 3, solver: 'randomized' });
    await a.fit(asDataset(x), { seed: 8, onProgress: (e) => phases.add(e.phase) });
    await b.fit(asDataset(x), { seed: 8 });
    expect([...phases]).toEqual(['covariance', 'eigensolve']);
    expect(b.components.data).toEqual(a.components.data);
    const controller = new AbortController();
    controller.abort();
    await expectCode(createPca({ latentDim: 3 }).fit(asDataset(x), { signal: controller.signal }), 'E_ABORTED');
  });

  it('rejects bad options and inputs with clear errors', async () => {
    const x = lowRankPlusNoise(20, 6, 2, 0.2);
    await expectCode(() => createPca({ latentDim: 0 }), 'E_OPTION', /latentDim/);
    await expectCode(() => createPca({ latentDim: 2.5 }), 'E_OPTION', /latentDim/);
    await expectCode(() => createPca({ latentDim: 2, solver: 'svd' as never }), 'E_OPTION', /solver/);
    await expectCode(() => createPca({ latentDim: 2, bogus: 1 }), 'E_OPTION', /bogus/);
    await expectCode(() => createPca({ latentDim: 2, powerIterations: -1 }), 'E_OPTION', /powerIterations/);
    expect(createPca({ latentDim: 2, powerIterations: '3' as never }).options.powerIterations).toBe(3);
    await expectCode(createPca({ latentDim: 7 }).fit(asDataset(x)), 'E_OPTION', /7.*6/);
    await expectCode(createPca({ latentDim: 0.5, solver: 'randomized' }).fit(asDataset(x)), 'E_OPTION', /fraction/);
    const withNaN = { ...x, data: Float32Array.from(x.data) };
    withNaN.data[9] = NaN;
    await expectCode(createPca({ latentDim: 2 }).fit(asDataset(withNaN)), 'E_INPUT_VALUE', /row 1, column 3/);
    const pca = createPca({ latentDim: 2 });
    await expectCode(pca.encode(x), 'E_NOT_FITTED');
    await pca.fit(asDataset(x));
    await expectCode(pca.encode({ data: new Float32Array(10), rows: 2, cols: 5 }), 'E_SHAPE', /5 columns, expected 6/);
    await expectCode(pca.decode({ data: new Float32Array(6), rows: 2, cols: 3 }), 'E_SHAPE', /3 columns, expected 2/);
    await expectCode(pca.encode({ ...x, data: x.data.map((v, i) => (i === 0 ? Infinity : v)) }), 'E_INPUT_VALUE');
  });

  it('is a valid plugin whose auto solver follows scikit-learn’s rule', async () => {
    expect(pcaPlugin.kind).toBe('pca');
    expect(Object.keys(pcaPlugin.options).sort()).toEqual(['oversamples', 'powerIterations', 'solver', 'whiten']);
    const small = lowRankPlusNoise(100, 20, 3, 0.2);
    const big = lowRankPlusNoise(520, 20, 3, 0.2);
    expect((await createPca({ latentDim: 3 }).fit(asDataset(small))).info?.solver).toBe('exact');
    expect((await createPca({ latentDim: 3 }).fit(asDataset(big))).info?.solver).toBe('randomized');
    expect((await createPca({ latentDim: 17 }).fit(asDataset(big))).info?.solver).toBe('exact');
  });
});
