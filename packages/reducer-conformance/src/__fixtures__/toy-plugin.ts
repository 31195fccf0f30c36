import { z } from 'zod';
import {
  assertCols,
  assertFinite,
  columnMeans,
  createBundle,
  createMatrix,
  createRng,
  float32Blob,
  inputShapeOf,
  LatentkitError,
  readFloat32Blob,
  throwIfAborted,
  validateDataset,
  type Capability,
  type Dataset,
  type Matrix,
  type ModelBundle,
  type OptionsSchema,
  type Reducer,
  type ReducerPlugin,
  type RowBatchSource,
  type RowsMse,
} from '@latentkit/core';

/** One deliberate defect per check, each breaking exactly that check. */
export const FLAWS = [
  'emptyDescription',
  'looseOptions',
  'noParameters',
  'embeddingMissingRow',
  'encodeFloat64',
  'batchDependentEncode',
  'encodeNoShapeCheck',
  'decodeFloat64',
  'decodeNoShapeCheck',
  'decodeIgnoresCodes',
  'meanNotEncode',
  'sampleIgnoresSeed',
  'batchDependentBound',
  'strayDecode',
  'lossySave',
  'stalePackage',
  'ignoreKind',
  'randomFit',
  'partialFitBreaks',
  'streamFitOneBatch',
  'acceptsEmpty',
  'acceptsNonFinite',
  'ignoresAbort',
  'acceptsFullLatent',
  'disposeNoop',
] as const;
export type Flaw = (typeof FLAWS)[number];

export interface ToyPluginInit {
  readonly capabilities: readonly Capability[];
  readonly flaws?: readonly Flaw[];
  /** Declare a package (so the bundle-package check applies). */
  readonly withPackage?: boolean;
  /** Give the schema an `epochs` option, as autoencoders have. */
  readonly withEpochs?: boolean;
}

export interface ToyOptions {
  readonly scale: number;
  readonly epochs?: number;
}

export const TOY_PACKAGE = { name: '@acme/toy-select', version: '1.0.0' } as const;

interface ToyState {
  mean: Float32Array;
  /** The d highest-variance features, whose centred values are the codes. */
  selected: Int32Array;
  /** Variance of each selected feature (for logVar and sampling). */
  variance: Float32Array;
  rows: number;
}

/**
 * A tiny reducer for testing the suite: codes are the d highest-variance features, centred; decode puts
 * them back over the mean. Correct as written; each flaw breaks one promise of the spec.
 */
export function toyPlugin(init: ToyPluginInit): ReducerPlugin<ToyOptions> {
  const flaws = new Set(init.flaws ?? []);
  const has = (c: Capability) => init.capabilities.includes(c);
  const shape = {
    scale: z.number().positive().default(1).describe('multiplier on the codes'),
    ...(init.withEpochs ? { epochs: z.number().int().min(1).default(5).describe('passes (ignored: the toy fits in one)') } : {}),
  };
  const options = (flaws.has('looseOptions') ? z.object(shape) : z.strictObject(shape)) as unknown as OptionsSchema<ToyOptions>;

  const makeModel = (state: ToyState, d: number, inputShape: readonly number[], scale: number): Reducer => {
    let live: ToyState | undefined = state;
    const D = state.mean.length;
    const fitted = () => {
      if (!live) throw new LatentkitError('E_NOT_FITTED', 'toy model was disposed');
      return live;
    };
    const matrix = (rows: number, cols: number, data: Float32Array, float64: boolean): Matrix =>
      float64 ? ({ rows, cols, data: Float64Array.from(data) } as unknown as Matrix) : createMatrix(rows, cols, data);
    const encode = async (x: Matrix): Promise<Matrix> => {
      const s = fitted();
      if (!flaws.has('encodeNoShapeCheck')) {
        assertCols(x, D);
        assertFinite(x);
      }
      const centre = flaws.has('batchDependentEncode') ? Float32Array.from(columnMeans(x)) : s.mean;
      return matrix(x.rows, d, centredCodes(x, centre, s.selected, scale), flaws.has('encodeFloat64'));
    };
    const decode = async (z: Matrix): Promise<Matrix> => {
      const s = fitted();
      if (!flaws.has('decodeNoShapeCheck')) assertCols(z, d, 'codes');
      const out = new Float32Array(z.rows * D);
      for (let i = 0; i < z.rows; i++) {
        out.set(s.mean, i * D);
        if (!flaws.has('decodeIgnoresCodes')) for (let k = 0; k < d; k++) out[i * D + s.selected[k]!]! += z.data[i * z.cols + k]! / scale;
      }
      return matrix(z.rows, D, out, flaws.has('decodeFloat64'));
    };
    const model: Reducer = {
      kind: 'toy',
      capabilities: init.capabilities,
      latentDim: d,
      inputDim: D,
      inputShape,
      parameterCount: flaws.has('noParameters') ? 0 : D + 2 * d,
      ...(has('encode') ? { encode } : {}),
      ...(has('decode') || flaws.has('strayDecode') ? { decode } : {}),
      ...(has('encode-distribution')
        ? {
            encodeDistribution: async (x: Matrix) => {
              const mean = await encode(x);
              if (flaws.has('meanNotEncode')) for (let i = 0; i < mean.data.length; i++) mean.data[i]! += 0.01;
              const v = fitted().variance;
              return { mean, logVar: createMatrix(x.rows, d, Float32Array.from({ length: x.rows * d }, (_, i) => Math.log(v[i % d]! + 1e-6))) };
            },
          }
        : {}),
      ...(has('sample')
        ? {
            sample: async (n: number, o: { seed?: number } = {}) => {
              const s = fitted();
              const rng = createRng(flaws.has('sampleIgnoresSeed') ? 0 : (o.seed ?? 0));
              const codes = Float32Array.from({ length: n * d }, (_, i) => rng.normal() * Math.sqrt(s.variance[i % d]!) * scale);
              return decode(createMatrix(n, d, codes));
            },
          }
        : {}),
      ...(has('likelihood-bound')
        ? {
            // log N(x_S; mean_S, diag(variance)) over the selected features S: exact, so the seed has nothing to draw.
            logLikelihoodBound: async (x: Matrix) => {
              const s = fitted();
              assertCols(x, D);
              assertFinite(x);
              const centre = flaws.has('batchDependentBound') ? Float32Array.from(columnMeans(x)) : s.mean;
              const c = centredCodes(x, centre, s.selected, 1);
              return Float64Array.from({ length: x.rows }, (_, i) => {
                let nats = 0;
                for (let k = 0; k < d; k++) nats -= 0.5 * (c[i * d + k]! ** 2 / (s.variance[k]! + 1e-6) + Math.log(2 * Math.PI * (s.variance[k]! + 1e-6)));
                return nats;
              });
            },
          }
        : {}),
      ...(has('partial-fit')
        ? {
            partialFit: async (data: Dataset) => {
              const s = fitted();
              assertCols(data.x, D);
              assertFinite(data.x);
              const more = columnMeans(data.x);
              const total = s.rows + data.x.rows;
              for (let j = 0; j < D; j++) s.mean[j] = flaws.has('partialFitBreaks') ? Number.NaN : (s.mean[j]! * s.rows + more[j]! * data.x.rows) / total;
              s.rows = total;
              return { seconds: 0 };
            },
          }
        : {}),
      save: async () => {
        const s = fitted();
        const mean = flaws.has('lossySave') ? s.mean.map((v) => v * 1.001) : s.mean;
        return createBundle({
          kind: 'toy',
          specVersion: 2,
          ...(flaws.has('stalePackage') ? { plugin: { name: TOY_PACKAGE.name, version: '0.0.1' } } : {}),
          options: { scale },
          inputShape,
          latentDim: d,
          blobs: {
            mean: float32Blob(mean, [D]),
            selected: float32Blob(s.selected, [d]),
            variance: float32Blob(s.variance, [d]),
            rows: float32Blob([s.rows], [1]),
          },
        });
      },
      dispose: () => {
        if (!flaws.has('disposeNoop')) live = undefined;
      },
    };
    return methodsNeedTheirModel(model);
  };

  const stateOf = (means: ArrayLike<number>, variances: readonly number[], d: number, rows: number): ToyState => {
    const order = variances.map((v, j) => [v, j] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    const selected = Int32Array.from(order.slice(0, d), ([, j]) => j);
    const jitter = flaws.has('randomFit') ? () => 1e-3 * Math.random() : () => 0;
    return { mean: Float32Array.from(means, (v) => v + jitter()), selected, variance: Float32Array.from(selected, (j) => variances[j]!), rows };
  };

  /** One pass of column sums (float64): memory D, whatever the row count. */
  const fitStream = async (source: RowBatchSource, settings: { latentDim: number; options: ToyOptions }, fitOptions: { signal?: AbortSignal; heldOut?: RowBatchSource } = {}) => {
    throwIfAborted(fitOptions.signal, 'toy fitStream');
    const D = source.cols;
    const d = settings.latentDim;
    if (d >= D) throw new LatentkitError('E_OPTION', `toy: latentDim ${d} must be below ${D}`);
    const sum = new Float64Array(D);
    const squares = new Float64Array(D);
    let rows = 0;
    for await (const { x } of source.batches({ signal: fitOptions.signal })) {
      assertCols(x, D);
      assertFinite(x);
      for (let i = 0; i < x.rows; i++) {
        for (let j = 0; j < D; j++) {
          const v = x.data[i * D + j]!;
          sum[j]! += v;
          squares[j]! += v * v;
        }
      }
      rows += x.rows;
      if (flaws.has('streamFitOneBatch')) break;
    }
    if (rows === 0) throw new LatentkitError('E_EMPTY', `toy: ${source.name} has no rows`);
    const means = Array.from(sum, (s) => s / rows);
    const variances = Array.from(squares, (s, j) => Math.max(0, s / rows - means[j]! ** 2));
    const model = makeModel(stateOf(means, variances, d, rows), d, source.imageShape ? [...source.imageShape] : [D], settings.options.scale);
    if (!has('decode')) return { model, result: { seconds: 0 } };
    // Honest MSE of the rows read (the one-batch flaw reads only one batch, and says so).
    const train = await streamMse(model, source, flaws.has('streamFitOneBatch') ? 1 : Infinity);
    const test = fitOptions.heldOut ? await streamMse(model, fitOptions.heldOut, Infinity) : undefined;
    return { model, result: { seconds: 0 }, reconstruction: { train, ...(test ? { test } : {}) } };
  };

  return {
    specVersion: 2,
    kind: 'toy',
    description: flaws.has('emptyDescription') ? '' : 'the d highest-variance features, centred',
    capabilities: init.capabilities,
    options,
    ...(init.withPackage || flaws.has('stalePackage') ? { package: TOY_PACKAGE } : {}),
    async fit(data, settings, fitOptions = {}) {
      if (!flaws.has('ignoresAbort')) throwIfAborted(fitOptions.signal, 'toy fit');
      if (!flaws.has('acceptsEmpty')) validateDataset(data);
      if (!flaws.has('acceptsNonFinite')) assertFinite(data.x);
      const d = settings.latentDim;
      const D = data.x.cols;
      if (d > D || (d === D && !flaws.has('acceptsFullLatent'))) throw new LatentkitError('E_OPTION', `toy: latentDim ${d} must be below ${D}`);
      const means = columnMeans(data.x);
      const variances = Array.from({ length: D }, (_, j) => {
        let s = 0;
        for (let i = 0; i < data.x.rows; i++) s += (data.x.data[i * D + j]! - means[j]!) ** 2;
        return s / Math.max(1, data.x.rows);
      });
      const state = stateOf(means, variances, d, data.x.rows);
      const selected = state.selected;
      const model = makeModel(state, d, inputShapeOf(data), settings.options.scale);
      let embedding: Matrix | undefined;
      if (has('fit-transform')) {
        const full = createMatrix(data.x.rows, d, centredCodes(data.x, state.mean, selected, settings.options.scale));
        embedding = flaws.has('embeddingMissingRow') ? createMatrix(full.rows - 1, d, full.data.subarray(0, (full.rows - 1) * d)) : full;
      }
      return { model, result: { seconds: 0 }, ...(embedding ? { embedding } : {}) };
    },
    ...(has('fit-stream') ? { fitStream } : {}),
    async load(bundle: ModelBundle) {
      if (!flaws.has('ignoreKind') && bundle.manifest.kind !== 'toy') throw new LatentkitError('E_BUNDLE_CORRUPT', `not a toy bundle (kind "${bundle.manifest.kind}")`);
      const d = bundle.manifest.latentDim;
      const state: ToyState = {
        mean: readFloat32Blob(bundle, 'mean'),
        selected: Int32Array.from(readFloat32Blob(bundle, 'selected')),
        variance: readFloat32Blob(bundle, 'variance'),
        rows: readFloat32Blob(bundle, 'rows')[0]!,
      };
      return makeModel(state, d, bundle.manifest.inputShape, Number(bundle.manifest.options.scale ?? 1));
    },
  };
}

/** Reconstruction MSE of a source's rows (its first `batches` batches), one batch at a time. */
async function streamMse(model: Reducer, source: RowBatchSource, batches: number): Promise<RowsMse> {
  let n = 0;
  let total = 0;
  let read = 0;
  for await (const { x } of source.batches()) {
    if (read++ >= batches) break;
    const back = await model.decode!(await model.encode!(x));
    for (let i = 0; i < x.data.length; i++) total += (x.data[i]! - back.data[i]!) ** 2;
    n += x.rows;
  }
  return { n, mse: n === 0 ? 0 : total / (n * source.cols) };
}

/** Row i's codes: its selected features minus their centre, scaled. */
function centredCodes(x: Matrix, centre: Float32Array, selected: Int32Array, scale: number): Float32Array {
  const d = selected.length;
  const out = new Float32Array(x.rows * d);
  for (let i = 0; i < x.rows; i++) for (let k = 0; k < d; k++) out[i * d + k] = (x.data[i * x.cols + selected[k]!]! - centre[selected[k]!]!) * scale;
  return out;
}

/** Like a class instance's methods, these fail when called detached from their model (`const f = m.encode`). */
function methodsNeedTheirModel(model: Reducer): Reducer {
  const m = model as unknown as Record<string, unknown>;
  for (const [name, value] of Object.entries(m)) {
    if (typeof value !== 'function') continue;
    const method = value as (...args: unknown[]) => unknown;
    m[name] = function (this: unknown, ...args: unknown[]) {
      if (this !== model) throw new TypeError(`toy ${name}() was called without its model as this`);
      return method(...args);
    };
  }
  return model;
}
