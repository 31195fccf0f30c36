import { setupBackend, writeAutoencoderLayers, type AutoencoderLayers } from '@latentkit/ae-core';
import type { Dataset } from '@latentkit/core';
import { fitPca } from '@latentkit/pca';
import type { ModelFileReader } from '../files.js';

/**
 * A PCA written as a LayersModel pair (encoder Dense: kernel componentsᵀ, bias −mean·componentsᵀ; decoder
 * Dense: kernel components, bias mean) into an in-memory folder "mem/pca": a model trained elsewhere that
 * reconstructs better than the column mean, for the conformance suite.
 */
export async function pcaLayersFolder(data: Dataset, latentDim: number): Promise<{ files: Map<string, Uint8Array>; read: ModelFileReader }> {
  await setupBackend('wasm');
  const { model } = await fitPca(data, { latentDim }, { seed: 1 });
  const D = model.inputDim;
  const k = model.latentDim;
  const comps = model.components.data;
  const compsT = new Float32Array(D * k);
  for (let c = 0; c < k; c++) for (let j = 0; j < D; j++) compsT[j * k + c] = comps[c * D + j]!;
  const shift = new Float32Array(k);
  for (let c = 0; c < k; c++) for (let j = 0; j < D; j++) shift[c] = shift[c]! - model.mean[j]! * comps[c * D + j]!;
  const layers: AutoencoderLayers = {
    encoder: { name: 'encoder', inputShape: [D], layers: [{ type: 'dense', units: k, activation: 'linear', kernel: { values: compsT, shape: [D, k] }, bias: { values: shift, shape: [k] } }] },
    decoder: { name: 'decoder', inputShape: [k], layers: [{ type: 'dense', units: D, activation: 'linear', kernel: { values: Float32Array.from(comps), shape: [k, D] }, bias: { values: Float32Array.from(model.mean), shape: [D] } }] },
  };
  const files = new Map<string, Uint8Array>();
  await writeAutoencoderLayers({ kind: 'pca', latentDim: k, inputShape: data.imageShape ?? [D] }, layers, async (path, bytes) => void files.set(`mem/pca/${path}`, bytes));
  model.dispose();
  return { files, read: memoryReader(files) };
}

export function memoryReader(files: ReadonlyMap<string, Uint8Array>): ModelFileReader {
  return async (path) => {
    const bytes = files.get(path);
    if (!bytes) throw new Error(`no file ${path}`);
    return bytes;
  };
}
