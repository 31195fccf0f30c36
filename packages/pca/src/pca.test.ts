import { createRng, describeOptions, isLatentkitError, type Matrix, type ModelBundle, mse } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { asDataset, gaussianSamples, lowRankPlusNoise, referenceCovariance } from './__fixtures__/synthetic.js';
import { covariance } from './covariance.js';
import { fitPca, loadPca, Pca, pcaOptions, type PcaSettings, pcaPlugin } from './index.js';

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

/** Fits through the library API and returns the fitted model. */
async function fitted(x: Matrix, settings: PcaSettings, seed?: number): Promise<Pca> {
  return (await fitPca(asDataset(x), settings, seed === undefined ? {} : { seed })).model;
}

/** A copy of a bundle with its manifest changed (as another release could have written it). */
function withManifest(bundle: ModelBundle, change: Partial<ModelBundle['manifest']>): ModelBundle {
  return { ...bundle, manifest: { ...bundle.manifest, ...change } };
}

describe('Pca', () => {
  it('recovers the axes and variances of a Gaussian in closed form', async () => {
    // Covariance R diag(9, 1) Rᵀ (R a rotation by 30°) in the first two features, variance 0.25 in the third:
    // the top eigenvectors are (cos, sin, 0) and (−sin, cos, 0).
    const t = Math.PI / 6, c = Math.cos(t), s = Math.sin(t);
    const chol = [3 * c, -s, 0, 3 * s, c, 0, 0, 0, 0.5];
    const x = gaussianSamples(20000, [5, -2, 1], chol);
    const pca = await fitted(x, { latentDim: 2, solver: 'exact' });
    expect(pca.explainedVariance[0]).toBeCloseTo(9, 0);
    expect(pca.explainedVariance[1]).toBeCloseTo(1, 1);
    const v = pca.components.data;
    expect(Math.abs(v[0]! * c + v[1]! * s)).toBeGreaterThan(0.999);
    expect(Math.abs(-v[3]! * s + v[4]! * c)).toBeGreaterThan(0.999);
    expect(pca.mean[0]).toBeCloseTo(5, 1);
    expect(pca.mean[1]).toBeCloseTo(-2, 1);
    expect(pca.noiseVariance).toBeCloseTo(0.25, 1);
    expect(pca.explainedVarianceRatio[0]! + pca.explainedVarianceRatio[1]!).toBeCloseTo(10 / 10.25, 2);
  });

  it('fits 3-column data whose score block has an odd number of floats (8-byte alignment in the sign step)', async () => {
    for (const n of [7, 9, 101]) {
      const x = gaussianSamples(n, [1, 2, 3], [2, 0, 0, 0.5, 1, 0, 0, 0.3, 0.2]);
      const pca = await fitted(x, { latentDim: 2, solver: 'exact' });
      expect(pca.components.rows).toBe(2);
      expect(pca.explainedVarianceRatio[0]!).toBeGreaterThan(pca.explainedVarianceRatio[1]!);
    }
  });

  it('has orthonormal components for both solvers', async () => {
    const x = lowRankPlusNoise(300, 40, 6, 0.2);
    for (const solver of ['exact', 'randomized'] as const) {
      const pca = await fitted(x, { latentDim: 8, solver }, 3);
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

  it('reconstructs the data exactly with min(n, D) components when n < D', async () => {
    const x = lowRankPlusNoise(10, 12, 12, 0.5);
    const pca = await fitted(x, { latentDim: 10, solver: 'exact' });
    const back = await pca.decode(await pca.encode(x));
    expect(mse(x, back)).toBeLessThan(1e-10);
    expect(pca.noiseVariance).toBe(0);
  });

  it('randomized agrees with exact on low-rank + noise data', async () => {
    const x = lowRankPlusNoise(600, 80, 5, 0.05);
    const exact = await fitted(x, { latentDim: 5, solver: 'exact' });
    const { model: randomized, result } = await fitPca(asDataset(x), { latentDim: 5, solver: 'randomized' }, { seed: 11 });
    expect(result.info?.solver).toBe('randomized');
    expect(randomized.solver).toBe('randomized');
    for (let c = 0; c < 5; c++) expect(randomized.explainedVariance[c]! / exact.explainedVariance[c]!).toBeCloseTo(1, 5);
    // Same sign rule, so components agree entry by entry.
    const a = exact.components.data, b = randomized.components.data;
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i]!, 4);
    expect(randomized.noiseVariance).toBeCloseTo(exact.noiseVariance, 6);
  });

  it('applies scikit-learn’s u-based sign rule: the largest-|score| sample scores positive', async () => {
    const x = lowRankPlusNoise(200, 10, 3, 0.1, 7);
    const pca = await fitted(x, { latentDim: 3 });
    const z = await pca.encode(x);
    for (let c = 0; c < 3; c++) {
      let best = 0;
      for (let r = 0; r < z.rows; r++) if (Math.abs(z.data[r * 3 + c]!) > Math.abs(best)) best = z.data[r * 3 + c]!;
      expect(best).toBeGreaterThan(0);
    }
  });

  it('picks k from a variance fraction (smallest k whose cumulative ratio exceeds it)', async () => {
    const x = lowRankPlusNoise(400, 30, 6, 0.3);
    const full = await fitted(x, { latentDim: 29, solver: 'exact' });
    const ratio = full.explainedVarianceRatio;
    let cum = 0, expected = 0;
    for (let i = 0; i < ratio.length && cum <= 0.9; i++) {
      cum += ratio[i]!;
      expected = i + 1;
    }
    const { model: pca, result } = await fitPca(asDataset(x), { latentDim: 0.9 });
    expect(pca.latentDim).toBe(expected);
    expect(pca.requestedLatentDim).toBe(0.9);
    expect(result.info?.components).toBe(expected);
    expect(expected).toBeGreaterThan(1);
    expect(ratio.slice(0, expected - 1).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(0.9);
  });

  it('a variance fraction keeps fewer components than the input dimension', async () => {
    const x = lowRankPlusNoise(100, 5, 5, 0.5);
    const pca = await fitted(x, { latentDim: 0.999999 });
    expect(pca.latentDim).toBe(4);
  });

  it('whitening gives unit-variance codes and decode undoes it', async () => {
    const x = lowRankPlusNoise(500, 20, 4, 0.2);
    const plain = await fitted(x, { latentDim: 4 });
    const white = await fitted(x, { latentDim: 4, whiten: true });
    const z = await white.encode(x);
    for (const v of columnVariances(z)) expect(v).toBeCloseTo(1, 4);
    const a = await plain.decode(await plain.encode(x));
    const b = await white.decode(z);
    for (let i = 0; i < a.data.length; i++) expect(b.data[i]).toBeCloseTo(a.data[i]!, 4);
  });

  it('round-trips through a bundle with bit-identical codes, recording spec v2 and its package', async () => {
    const x = lowRankPlusNoise(120, 16, 4, 0.2);
    const pca = await fitted(x, { latentDim: 4, whiten: true }, 5);
    const bundle = await pca.save();
    expect([...bundle.blobs.keys()].sort()).toEqual(['components', 'explainedVariance', 'mean']);
    expect(bundle.manifest.specVersion).toBe(2);
    expect(bundle.manifest.plugin).toEqual({ name: '@latentkit/pca', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(bundle.manifest.options).toEqual({ solver: 'auto', whiten: true, oversamples: 10, powerIterations: 'auto', latentDim: 4 });
    const loaded = await pcaPlugin.load(bundle);
    expect(loaded).toBeInstanceOf(Pca);
    const z1 = await pca.encode(x), z2 = await loaded.encode!(x);
    expect(Buffer.from(z2.data.buffer).equals(Buffer.from(z1.data.buffer))).toBe(true);
    const d1 = await pca.decode(z1), d2 = await loaded.decode!(z2);
    expect(Buffer.from(d2.data.buffer).equals(Buffer.from(d1.data.buffer))).toBe(true);
    expect((loaded as Pca).explainedVarianceRatio).toEqual(pca.explainedVarianceRatio);
    expect((loaded as Pca).options).toEqual(pca.options);
  });

  it('loads bundles of the previous release (reducer spec 1, same layout) and refuses unknown spec versions', async () => {
    const x = lowRankPlusNoise(80, 10, 3, 0.2);
    const pca = await fitted(x, { latentDim: 3 });
    const current = await pca.save();
    // What 0.1.0 wrote: specVersion 1, no plugin package, powerIterations possibly a numeric string from the CLI.
    const { plugin: _plugin, ...v1Manifest } = current.manifest;
    const v1 = { ...current, manifest: { ...v1Manifest, specVersion: 1 } };
    const loaded = await loadPca(v1);
    expect(Array.from((await loaded.encode(x)).data)).toEqual(Array.from((await pca.encode(x)).data));
    // Re-saving writes the current spec version.
    expect((await loaded.save()).manifest.specVersion).toBe(2);
    await expectCode(loadPca(withManifest(current, { specVersion: 3 })), 'E_BUNDLE_VERSION', /spec 3/);
  });

  it('refuses bundles whose blob shapes, figures or options are wrong', async () => {
    const x = lowRankPlusNoise(60, 8, 2, 0.2);
    const bundle = await (await fitted(x, { latentDim: 2 })).save();
    await expectCode(loadPca(withManifest(bundle, { latentDim: 3 })), 'E_BUNDLE_CORRUPT', /components/);
    await expectCode(loadPca(withManifest(bundle, { extra: {} })), 'E_BUNDLE_CORRUPT', /totalVariance/);
    await expectCode(loadPca(withManifest(bundle, { options: { ...bundle.manifest.options, solver: 'svd' } })), 'E_BUNDLE_CORRUPT', /solver/);
    await expectCode(loadPca(withManifest(bundle, { kind: 'dense-ae' })), 'E_BUNDLE_CORRUPT', /"dense-ae"/);
  });

  it('reports progress, honours the seed, and stops when aborted', async () => {
    const x = lowRankPlusNoise(200, 30, 4, 0.3);
    const phases = new Set<string>();
    const a = (await fitPca(asDataset(x), { latentDim: 3, solver: 'randomized' }, { seed: 8, onProgress: (e) => phases.add(e.phase) })).model;
    const b = await fitted(x, { latentDim: 3, solver: 'randomized' }, 8);
    expect([...phases]).toEqual(['covariance', 'eigensolve']);
    expect(b.components.data).toEqual(a.components.data);
    const controller = new AbortController();
    controller.abort();
    await expectCode(fitPca(asDataset(x), { latentDim: 3 }, { signal: controller.signal }), 'E_ABORTED');
  });

  it('rejects bad settings and inputs with one clear line each', async () => {
    const x = lowRankPlusNoise(20, 6, 2, 0.2);
    const fit = (settings: PcaSettings, data = x) => fitPca(asDataset(data), settings);
    await expectCode(fit({ latentDim: 0 }), 'E_OPTION', /latentDim/);
    await expectCode(fit({ latentDim: 2.5 }), 'E_OPTION', /latentDim/);
    await expectCode(fit({ latentDim: 2, solver: 'svd' as never }), 'E_OPTION', /^reducer "pca" options: solver: /);
    await expectCode(fit({ latentDim: 2, bogus: 1 } as never), 'E_OPTION', /bogus/);
    await expectCode(fit({ latentDim: 2, powerIterations: -1 }), 'E_OPTION', /powerIterations/);
    await expectCode(fit({ latentDim: 2, powerIterations: '3' as never }), 'E_OPTION', /powerIterations/);
    await expectCode(fit({ latentDim: 2, oversamples: 1.5 }), 'E_OPTION', /oversamples/);
    // A count must be smaller than D (equal is only a rotation) and at most n.
    await expectCode(fit({ latentDim: 7 }), 'E_OPTION', /^reducer "pca": latentDim 7 must be smaller than the input dimension 6$/);
    await expectCode(fit({ latentDim: 6 }), 'E_OPTION', /^reducer "pca": latentDim 6 must be smaller than the input dimension 6$/);
    await expectCode(fit({ latentDim: 5 }, lowRankPlusNoise(4, 6, 2, 0.2)), 'E_OPTION', /exceeds the number of samples 4/);
    await expectCode(fit({ latentDim: 0.5, solver: 'randomized' }), 'E_OPTION', /fraction/);
    const withNaN = { ...x, data: Float32Array.from(x.data) };
    withNaN.data[9] = NaN;
    await expectCode(fit({ latentDim: 2 }, withNaN), 'E_INPUT_VALUE', /row 1, column 3/);
    const pca = await fitted(x, { latentDim: 2 });
    await expectCode(pca.encode({ data: new Float32Array(10), rows: 2, cols: 5 }), 'E_SHAPE', /5 columns, expected 6/);
    await expectCode(pca.decode({ data: new Float32Array(6), rows: 2, cols: 3 }), 'E_SHAPE', /3 columns, expected 2/);
    await expectCode(pca.encode({ ...x, data: x.data.map((v, i) => (i === 0 ? Infinity : v)) }), 'E_INPUT_VALUE');
  });

  it('is unusable after dispose', async () => {
    const x = lowRankPlusNoise(20, 6, 2, 0.2);
    const pca = await fitted(x, { latentDim: 2 });
    pca.dispose();
    await expectCode(pca.encode(x), 'E_NOT_FITTED', /disposed/);
    await expectCode(pca.save(), 'E_NOT_FITTED', /disposed/);
    await expectCode(() => pca.components, 'E_NOT_FITTED', /disposed/);
  });
});

describe('pcaPlugin', () => {
  it('is a spec v2 plugin: capabilities, its package, one options schema', () => {
    expect(pcaPlugin).toMatchObject({ specVersion: 2, kind: 'pca', capabilities: ['encode', 'decode', 'fit-stream'], fractionalLatentDim: true });
    expect(pcaPlugin.package).toEqual({ name: '@latentkit/pca', version: expect.any(String) });
    expect(pcaPlugin.options).toBe(pcaOptions);
    const fields = describeOptions(pcaPlugin.options);
    expect(fields.map((f) => f.name)).toEqual(['solver', 'whiten', 'oversamples', 'powerIterations']);
    expect(fields.find((f) => f.name === 'powerIterations')).toMatchObject({ type: '"auto"|integer', default: 'auto', minimum: 0 });
    expect(fields.find((f) => f.name === 'solver')).toMatchObject({ choices: ['auto', 'exact', 'randomized'], default: 'auto' });
  });

  it('fits through the plugin with settings validated again (it may be called without a registry)', async () => {
    const x = lowRankPlusNoise(100, 20, 3, 0.2);
    const { model, result } = await pcaPlugin.fit(asDataset(x), { latentDim: 3, options: { solver: 'exact' } as never });
    expect(model.latentDim).toBe(3);
    expect(result.info?.solver).toBe('exact');
    await expectCode(pcaPlugin.fit(asDataset(x), { latentDim: 3, options: { solvr: 'exact' } as never }), 'E_OPTION', /solvr/);
  });

  it('follows scikit-learn’s rule for the auto solver', async () => {
    const small = lowRankPlusNoise(100, 20, 3, 0.2);
    const big = lowRankPlusNoise(520, 20, 3, 0.2);
    const solverOf = async (x: Matrix, latentDim: number) => (await fitPca(asDataset(x), { latentDim })).result.info?.solver;
    expect(await solverOf(small, 3)).toBe('exact');
    expect(await solverOf(big, 3)).toBe('randomized');
    expect(await solverOf(big, 17)).toBe('exact');
  });
});
