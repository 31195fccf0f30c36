// Two small spec-v2 plugins for the run package's tests: "keep-first" encodes and decodes (the first d
// columns, decoded by filling the rest with the training means), "doubled" only encodes (2× the first d columns).
import { z } from 'zod';
import {
  REDUCER_SPEC_VERSION,
  createBundle,
  createMatrix,
  columnMeans,
  float32Blob,
  readFloat32Blob,
  type Capability,
  type Dataset,
  type FitOptions,
  type Matrix,
  type ModelBundle,
  type Reducer,
  type ReducerPlugin,
} from '@latentkit/core';

function firstColumns(x: Matrix, d: number, scale = 1): Matrix {
  const out = createMatrix(x.rows, d);
  for (let i = 0; i < x.rows; i++) for (let j = 0; j < d; j++) out.data[i * d + j] = scale * x.data[i * x.cols + j]!;
  return out;
}

const options = z.strictObject({ epochs: z.number().int().min(1).max(10).default(1).describe('passes over the data') });

function model(kind: string, capabilities: readonly Capability[], d: number, means: Float32Array, pkg: { name: string; version: string }): Reducer {
  const D = means.length;
  const save = async (): Promise<ModelBundle> =>
    createBundle({ kind, specVersion: REDUCER_SPEC_VERSION, plugin: pkg, options: {}, inputShape: [D], latentDim: d, blobs: { means: float32Blob(means, [D]) } });
  const m: Reducer = {
    kind,
    capabilities,
    latentDim: d,
    inputDim: D,
    inputShape: [D],
    parameterCount: D,
    encode: async (x) => firstColumns(x, d, capabilities.includes('decode') ? 1 : 2),
    save,
    dispose: () => undefined,
  };
  if (!capabilities.includes('decode')) return m;
  return {
    ...m,
    decode: async (z) => {
      const out = createMatrix(z.rows, D);
      for (let i = 0; i < z.rows; i++) for (let j = 0; j < D; j++) out.data[i * D + j] = j < d ? z.data[i * d + j]! : means[j]!;
      return out;
    },
  };
}

export interface ToyCalls {
  fits: number;
  lastFitOptions?: FitOptions;
}

function toyPlugin(kind: string, capabilities: readonly Capability[], calls: ToyCalls, fitHook?: (options: FitOptions | undefined) => Promise<void>): ReducerPlugin {
  const pkg = { name: `@toy/${kind}`, version: '0.0.1' };
  return {
    specVersion: REDUCER_SPEC_VERSION,
    kind,
    description: `toy ${kind}`,
    displayName: kind.toUpperCase(),
    package: pkg,
    capabilities,
    options,
    async fit(data: Dataset, settings, fitOptions) {
      calls.fits++;
      calls.lastFitOptions = fitOptions;
      await fitHook?.(fitOptions);
      const means = Float32Array.from(columnMeans(data.x));
      return { model: model(kind, capabilities, settings.latentDim, means, pkg), result: { seconds: 0.01, info: { explainedVarianceRatio: [0.5] } } };
    },
    async load(bundle) {
      return model(kind, capabilities, bundle.manifest.latentDim, readFloat32Blob(bundle, 'means'), pkg);
    },
  };
}

/** Encode and decode: codes are the first d columns; decode fills the others with the training means. */
export const keepFirstPlugin = (calls: ToyCalls = { fits: 0 }, fitHook?: (o: FitOptions | undefined) => Promise<void>) => toyPlugin('keep-first', ['encode', 'decode'], calls, fitHook);
/** Encode only: codes are twice the first d columns. */
export const doubledPlugin = (calls: ToyCalls = { fits: 0 }) => toyPlugin('doubled', ['encode'], calls);

/** A 4-feature (2×2 image) labelled dataset whose rows are fixed, varied numbers in [0, 1]. */
export function toyData(rows: number, offset = 0, name = 'toy'): Dataset {
  const x = createMatrix(rows, 4, Array.from({ length: rows * 4 }, (_, k) => ((k + offset) * 37 % 101) / 100));
  return { name, x, labels: Int32Array.from({ length: rows }, (_, i) => (i + offset) % 3), labelNames: ['a', 'b', 'c'], imageShape: [2, 2, 1] };
}
