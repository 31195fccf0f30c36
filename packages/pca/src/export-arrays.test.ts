import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseNpy } from '@latentkit/data';
import { createMatrix, createRng, type Matrix } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { asDataset, lowRankPlusNoise } from './__fixtures__/synthetic.js';
import { pcaArraysExporter, pcaExportFiles } from './export-arrays.js';
import { npyBytes } from './npy-write.js';
import { fitPca, type Pca } from './index.js';

function hasNumpy(): boolean {
  try {
    execFileSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function randomRows(rows: number, cols: number, seed: number): Matrix {
  const rng = createRng(seed);
  const m = createMatrix(rows, cols);
  for (let i = 0; i < m.data.length; i++) m.data[i] = rng.normal();
  return m;
}

/** encode from the exported arrays alone, as the export documents it. */
function encodeFromArrays(files: Map<string, Uint8Array>, x: Matrix): Float64Array {
  const mean = parseNpy(files.get('mean.npy')!).data;
  const comps = parseNpy(files.get('components.npy')!);
  const scale = parseNpy(files.get('code_scale.npy')!).data;
  const [k, D] = comps.shape as [number, number];
  const z = new Float64Array(x.rows * k);
  for (let r = 0; r < x.rows; r++)
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < D; j++) s += (x.data[r * D + j]! - mean[j]!) * comps.data[c * D + j]!;
      z[r * k + c] = s * scale[c]!;
    }
  return z;
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

async function fitted(whiten: boolean): Promise<Pca> {
  return (await fitPca(asDataset(lowRankPlusNoise(120, 10, 3, 0.1, 4)), { latentDim: 3, whiten }, { seed: 1 })).model;
}

describe('PCA export as JSON + NPY', () => {
  it('writes NPY headers numpy expects: 64-byte aligned, C order, shape tuple', () => {
    const bytes = npyBytes(Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3]);
    const headerLength = new DataView(bytes.buffer).getUint16(8, true);
    expect((10 + headerLength) % 64).toBe(0);
    expect(new TextDecoder().decode(bytes.subarray(10, 10 + headerLength)).trim()).toBe("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }");
    expect(parseNpy(bytes)).toMatchObject({ shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6) });
    expect(parseNpy(npyBytes(Float64Array.of(0.5, 0.25), [2]))).toMatchObject({ shape: [2], data: Float32Array.of(0.5, 0.25) });
  });

  for (const whiten of [false, true]) {
    it(`the arrays reproduce encode (whiten: ${whiten}) and the JSON holds the same numbers`, async () => {
      const model = await fitted(whiten);
      const files = pcaExportFiles(model);
      expect([...files.keys()].sort()).toEqual(['code_scale.npy', 'components.npy', 'explained_variance.npy', 'explained_variance_ratio.npy', 'mean.npy', 'pca.json']);
      const x = randomRows(8, 10, 3);
      const codes = await model.encode(x);
      expect(maxAbsDiff(encodeFromArrays(files, x), codes.data)).toBeLessThan(1e-5);
      const json = JSON.parse(new TextDecoder().decode(files.get('pca.json'))) as { whiten: boolean; components: number[][]; explainedVariance: number[]; latentDim: number };
      expect(json).toMatchObject({ whiten, latentDim: 3 });
      expect(json.components.flat()).toEqual(Array.from(model.components.data));
      expect(json.explainedVariance).toEqual(Array.from(model.explainedVariance));
    });
  }

  it('offers PCA models only', async () => {
    const model = await fitted(false);
    expect(pcaArraysExporter.offers(model)).toBe(true);
    expect(pcaArraysExporter.offers({ ...model, kind: 'pca' } as never)).toBe(false);
  });

  it.skipIf(!hasNumpy())('numpy.load opens every array and its encode and decode match latentkit to 1e-5', async () => {
    const model = await fitted(true);
    const dir = await mkdtemp(join(tmpdir(), 'pca-export-'));
    try {
      await pcaArraysExporter.export(model, (path, bytes) => writeFile(join(dir, path), bytes));
      const x = randomRows(5, 10, 8);
      await writeFile(join(dir, 'x.npy'), npyBytes(x.data as Float32Array, [5, 10]));
      const script = [
        'import json, sys, numpy as np',
        'd = sys.argv[1]; a = lambda n: np.load(d + "/" + n + ".npy", allow_pickle=False)',
        'x, mean, comps, scale = a("x").astype(np.float64), a("mean"), a("components"), a("code_scale")',
        'z = ((x - mean) @ comps.T.astype(np.float64)) * scale',
        'xh = (z / scale) @ comps.astype(np.float64) + mean',
        'print(json.dumps({"z": z.ravel().tolist(), "xh": xh.ravel().tolist(), "ratio": a("explained_variance_ratio").tolist()}))',
      ].join('\n');
      const out = JSON.parse(execFileSync('python3', ['-c', script, dir], { encoding: 'utf8' })) as { z: number[]; xh: number[]; ratio: number[] };
      const codes = await model.encode(x);
      expect(maxAbsDiff(out.z, codes.data)).toBeLessThan(1e-5);
      expect(maxAbsDiff(out.xh, (await model.decode(codes)).data)).toBeLessThan(1e-5);
      expect(maxAbsDiff(out.ratio, model.explainedVarianceRatio)).toBeLessThan(1e-12);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
