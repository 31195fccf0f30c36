import {
  assertReducerPlugin,
  isLatentkitError,
  concatRows,
  createMatrix,
  createRng,
  sliceRows,
  type Dataset,
  type Matrix,
  type Reducer,
  type ReducerPlugin,
} from '@latentkit/core';

export interface ConformanceOptions {
  /** Options for create() besides latentDim (e.g. { epochs: 1 } to keep an autoencoder quick). */
  readonly options?: Readonly<Record<string, unknown>>;
  readonly latentDim?: number;
  /** Data to fit on; defaults to a seeded 8×8-image toy set of 96 samples. */
  readonly dataset?: Dataset;
  /** Largest allowed |difference| between batched and whole-matrix encode/decode (float32 noise). */
  readonly batchTolerance?: number;
}

/** A small seeded image dataset: blurry blobs on an 8×8 grid, values in [0,1]. */
export function toyImages(n = 96, seed = 1, side = 8): Dataset {
  const rng = createRng(seed);
  const d = side * side;
  const x = new Float32Array(n * d);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const cls = i % 3;
    labels[i] = cls;
    const cx = 2 + cls * 2 + rng.next(), cy = 2 + rng.next() * 4;
    for (let r = 0; r < side; r++) {
      for (let c = 0; c < side; c++) {
        const v = Math.exp(-((r - cy) ** 2 + (c - cx) ** 2) / 4) + 0.05 * rng.next();
        x[i * d + r * side + c] = Math.min(1, v);
      }
    }
  }
  return { name: 'toy-images', x: createMatrix(n, d, x), labels, imageShape: [side, side, 1] };
}

export interface ConformanceCheck {
  readonly name: string;
  run(): Promise<void>;
}

function fail(msg: string): never {
  throw new Error(`conformance: ${msg}`);
}

function maxAbsDiff(a: Matrix, b: Matrix): number {
  if (a.rows !== b.rows || a.cols !== b.cols) fail(`shapes differ: ${a.rows}×${a.cols} vs ${b.rows}×${b.cols}`);
  let m = 0;
  for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs(a.data[i]! - b.data[i]!));
  return m;
}

async function expectLatentkitError(what: string, fn: () => Promise<unknown> | unknown, codes: readonly string[]): Promise<void> {
  let caught: unknown;
  try {
    await fn();
  } catch (e) {
    caught = e;
  }
  if (caught === undefined) fail(`${what} should throw`);
  // Duck-typed: a third-party plugin carries its own copy of @latentkit/core, so instanceof would fail.
  if (!isLatentkitError(caught)) fail(`${what} should throw a LatentkitError, got ${String(caught)}`);
  if (!codes.includes(caught.code)) fail(`${what} threw ${caught.code} (${caught.message}), expected ${codes.join(' or ')}`);
}

/**
 * The checks every reducer must pass, as plain async functions (runner-agnostic). A fitted reducer is
 * shared between checks that only read it; each check disposes what it creates.
 */
export function conformanceChecks(pluginCandidate: unknown, opts: ConformanceOptions = {}): ConformanceCheck[] {
  const data = opts.dataset ?? toyImages();
  const latentDim = opts.latentDim ?? 3;
  const tol = opts.batchTolerance ?? 1e-5;
  const D = data.x.cols;
  let checked: ReducerPlugin | undefined;
  const plugin = new Proxy({} as ReducerPlugin, { get: (_t, key) => (checked ??= assertReducerPlugin(pluginCandidate))[key as keyof ReducerPlugin] });
  const create = () => plugin.create({ ...opts.options, latentDim });
  let fitted: Promise<Reducer> | undefined;
  const shared = () =>
    (fitted ??= (async () => {
      const r = create();
      await r.fit(data, { seed: 7 });
      return r;
    })());
  const withFresh = async (fn: (r: Reducer) => Promise<void>) => {
    const r = create();
    try {
      await fn(r);
    } finally {
      r.dispose();
    }
  };

  return [
    {
      name: 'is a valid plugin of the supported spec version',
      run: async () => {
        checked = assertReducerPlugin(pluginCandidate);
        for (const [name, spec] of Object.entries(plugin.options)) if (!spec.description) fail(`option ${name} has no description`);
      },
    },
    {
      name: 'encode gives n×d codes and decode gives n×D reconstructions',
      run: async () => {
        const r = await shared();
        if (r.latentDim !== latentDim) fail(`latentDim is ${r.latentDim}, expected ${latentDim}`);
        if (r.inputDim !== D) fail(`inputDim is ${r.inputDim}, expected ${D}`);
        const z = await r.encode(data.x);
        if (z.rows !== data.x.rows || z.cols !== latentDim) fail(`encode gave ${z.rows}×${z.cols}, expected ${data.x.rows}×${latentDim}`);
        const xHat = await r.decode(z);
        if (xHat.rows !== data.x.rows || xHat.cols !== D) fail(`decode gave ${xHat.rows}×${xHat.cols}, expected ${data.x.rows}×${D}`);
        for (const v of xHat.data) if (!Number.isFinite(v)) fail('decode produced a non-finite value');
        if (!(r.parameterCount > 0)) fail('parameterCount must be positive after fit');
      },
    },
    {
      name: 'is deterministic under a seed',
      run: async () => {
        const a = await shared();
        await withFresh(async (b) => {
          await b.fit(data, { seed: 7 });
          const d = maxAbsDiff(await a.encode(data.x), await b.encode(data.x));
          if (d !== 0) fail(`two fits with seed 7 differ by ${d}`);
        });
      },
    },
    {
      name: 'save/load round trip encodes and decodes bit-identically',
      run: async () => {
        const a = await shared();
        const loaded = await plugin.load(await a.save());
        try {
          if (maxAbsDiff(await a.encode(data.x), await loaded.encode(data.x)) !== 0) fail('loaded model encodes differently');
          const z = await a.encode(data.x);
          if (maxAbsDiff(await a.decode(z), await loaded.decode(z)) !== 0) fail('loaded model decodes differently');
        } finally {
          loaded.dispose();
        }
      },
    },
    {
      name: 'batched encode/decode equal whole-matrix encode/decode',
      run: async () => {
        const r = await shared();
        const whole = await r.encode(data.x);
        const parts: Matrix[] = [];
        for (const [s, e] of [[0, 1], [1, 8], [8, data.x.rows]] as const) parts.push(await r.encode(sliceRows(data.x, s, e)));
        const d1 = maxAbsDiff(whole, concatRows(parts));
        if (d1 > tol) fail(`encode in batches differs by ${d1}`);
        const wholeDec = await r.decode(whole);
        const decParts: Matrix[] = [];
        for (const [s, e] of [[0, 5], [5, data.x.rows]] as const) decParts.push(await r.decode(sliceRows(whole, s, e)));
        const d2 = maxAbsDiff(wholeDec, concatRows(decParts));
        if (d2 > tol) fail(`decode in batches differs by ${d2}`);
      },
    },
    {
      name: 'refuses bad input with typed errors',
      run: async () => {
        const r = await shared();
        await expectLatentkitError('encode with the wrong number of columns', () => r.encode(createMatrix(2, D + 1)), ['E_SHAPE']);
        await expectLatentkitError('decode with the wrong latent size', () => r.decode(createMatrix(2, latentDim + 1)), ['E_SHAPE']);
        const nan = new Float32Array(D);
        nan[0] = Number.NaN;
        await expectLatentkitError('encode of NaN input', () => r.encode(createMatrix(1, D, nan)), ['E_INPUT_VALUE']);
        await withFresh((fresh) => expectLatentkitError('encode before fit', () => fresh.encode(data.x), ['E_NOT_FITTED']));
        await withFresh(async (fresh) => {
          const bad = { ...data, x: createMatrix(data.x.rows, D, data.x.data.map((v, i) => (i === 5 ? Number.POSITIVE_INFINITY : v))) };
          await expectLatentkitError('fit on data with Inf', () => fresh.fit(bad, { seed: 1 }), ['E_INPUT_VALUE']);
        });
        await expectLatentkitError(
          'latentDim ≥ input dimension',
          async () => {
            const big = plugin.create({ ...opts.options, latentDim: D });
            try {
              await big.fit(data, { seed: 1 });
            } finally {
              big.dispose();
            }
          },
          ['E_OPTION', 'E_SHAPE'],
        );
      },
    },
    {
      name: 'fit honours an aborted signal',
      run: async () => {
        const controller = new AbortController();
        controller.abort();
        await withFresh((r) => expectLatentkitError('fit with an aborted signal', () => r.fit(data, { seed: 1, signal: controller.signal }), ['E_ABORTED']));
      },
    },
    {
      name: 'refuses a bundle of another kind',
      run: async () => {
        const r = await shared();
        const bundle = await r.save();
        const other = { ...bundle, manifest: { ...bundle.manifest, kind: `${bundle.manifest.kind}-other` } };
        await expectLatentkitError('load of another kind\'s bundle', () => plugin.load(other), ['E_BUNDLE_CORRUPT', 'E_PLUGIN']);
      },
    },
    {
      name: 'dispose frees the shared model',
      run: async () => {
        (await shared()).dispose();
        fitted = undefined;
      },
    },
  ];
}
