import type { Capability } from '@latentkit/core';
import type { RunModelData } from '@latentkit/run';
import { describe, expect, it } from 'vitest';
import { bestReconstructingModel, modelCan, modelsWithCodes, reconstructingModels, restoringModels, samplingModels } from './model-capabilities.js';

function model(dir: string, capabilities: Capability[], extra: { testMse?: number; codes?: boolean; density?: boolean } = {}): RunModelData {
  const codes = extra.codes ?? true;
  return {
    info: { dir, kind: `kind-${dir}`, displayName: dir, latentDim: 2, capabilities, codes, ...(extra.testMse === undefined ? {} : { testMse: extra.testMse }) },
    ...(codes ? { codes: { data: new Float32Array(4), rows: 2, cols: 2 } } : {}),
    ...(extra.density ? { latent: { gaussian: { kind: 'gaussian' } as never } } : {}),
  };
}

const autoencoder = model('ae', ['encode', 'decode'], { testMse: 0.02, density: true });
const linear = model('linear', ['encode', 'decode'], { testMse: 0.01, density: true });
const encodeOnly = model('umap-like', ['encode'], { density: true });
const embedding = model('tsne-like', ['fit-transform']);
const noCodes = model('no-codes', ['encode', 'decode'], { codes: false, testMse: 0.001 });
const prior = model('vae-like', ['encode', 'encode-distribution', 'sample'], { testMse: 0.5 });

describe('capabilities decide what the viewer offers', () => {
  it('modelCan needs every capability asked for', () => {
    expect(modelCan(autoencoder, 'encode', 'decode')).toBe(true);
    expect(modelCan(encodeOnly, 'encode', 'decode')).toBe(false);
    expect(modelCan(embedding)).toBe(true);
  });

  it('restoring corrupted rows: models that encode and decode, with or without stored codes', () => {
    expect(restoringModels([autoencoder, encodeOnly, embedding, noCodes, prior, linear]).map((m) => m.info.dir)).toEqual(['ae', 'no-codes', 'linear']);
  });

  it('reconstruction and interpolation: models that encode, decode and have codes', () => {
    expect(reconstructingModels([autoencoder, encodeOnly, embedding, noCodes, linear]).map((m) => m.info.dir)).toEqual(['ae', 'linear']);
  });

  it('the interpolation model is the reconstructing one with the lowest test MSE', () => {
    expect(bestReconstructingModel([autoencoder, linear, noCodes, encodeOnly])?.info.dir).toBe('linear');
    expect(bestReconstructingModel([model('a', ['encode', 'decode']), model('b', ['encode', 'decode'], { testMse: Number.NaN })])?.info.dir).toBe('a');
    expect(bestReconstructingModel([encodeOnly, embedding])).toBeUndefined();
  });

  it('sampling: a decoder with a fitted density, or a model that samples from its prior', () => {
    expect(samplingModels([autoencoder, encodeOnly, embedding, prior, model('no-density', ['encode', 'decode'])]).map((m) => m.info.dir)).toEqual(['ae', 'vae-like']);
  });

  it('the scatter: any model with codes, encoders and fit-transform alike', () => {
    expect(modelsWithCodes([autoencoder, encodeOnly, embedding, noCodes]).map((m) => m.info.dir)).toEqual(['ae', 'umap-like', 'tsne-like']);
  });
});
