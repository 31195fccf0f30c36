import type { ModelExporter } from './export.js';
import type { ModelBundle } from './bundle.js';
import { checkCapabilities, type Capability } from './capabilities.js';
import type { Dataset } from './dataset.js';
import { LatentkitError } from './errors.js';
import type { Matrix } from './matrix.js';
import type { OptionSpecs } from './options.js';
import type { OptionsSchema } from './options-schema.js';
import type { FitOptions, FitResult, Reducer, ReducerV1 } from './reducer.js';
import type { RowBatchSource } from './row-batches.js';
import { adaptV1Plugin } from './plugin-v1.js';

/**
 * The version of the reducer plugin spec this core implements (like vercel/ai's specificationVersion).
 * Plugins declare the version they were written against; v1 plugins still load through an adapter.
 */
export const REDUCER_SPEC_VERSION = 2;

/** What fit() is asked for: d plus the plugin's own options, already validated by its schema. */
export interface ReducerSettings<Options = unknown> {
  /** d: a positive integer; plugins with `fractionalLatentDim` also take a fraction in (0,1), "variance to keep". */
  readonly latentDim: number;
  readonly options: Options;
}

/** What fit() gives back: a fitted model (settings and fitted state never share a half-made object). */
export interface FitOutcome {
  readonly model: Reducer;
  readonly result: FitResult;
  /** Codes of the fitted rows, in order. Required for fit-transform reducers; optional for others. */
  readonly embedding?: Matrix;
}

/** A streamed fit's options: a fit's, plus held-out rows whose reconstruction MSE the plugin may report. */
export interface StreamFitOptions extends FitOptions {
  readonly heldOut?: RowBatchSource;
}

/** Reconstruction MSE of n rows, as a streamed fit may measure it itself. */
export interface RowsMse {
  readonly n: number;
  readonly mse: number;
}

/**
 * What fitStream gives: a fit's outcome, plus the reconstruction MSE it measured itself where it has a cheaper
 * way than reconstructing every row (PCA: from its statistics); absent, apps measure it with one more read.
 */
export interface StreamFitOutcome extends FitOutcome {
  readonly reconstruction?: { readonly train: RowsMse; readonly test?: RowsMse };
}

/** The npm package a plugin comes from; bundles record it so a reader can say what to install. */
export interface PluginPackage {
  readonly name: string;
  readonly version: string;
}

export interface ReducerPlugin<Options = unknown> {
  readonly specVersion: typeof REDUCER_SPEC_VERSION;
  /** Unique name used on the command line and in bundles, e.g. "pca", "conv-ae". */
  readonly kind: string;
  readonly description: string;
  /** Short human name for figures and tables, e.g. "PCA", "CNN"; defaults to `kind`. */
  readonly displayName?: string;
  readonly package?: PluginPackage;
  readonly capabilities: readonly Capability[];
  /** The plugin's options as one schema: types, defaults, bounds and help all come from it. */
  readonly options: OptionsSchema<Options>;
  /** Whether the reducer needs image-shaped input ([h,w,c]). */
  readonly requiresImages?: boolean;
  /** Whether latentDim may be a fraction in (0,1) meaning "variance to keep". */
  readonly fractionalLatentDim?: boolean;
  /**
   * A browser-safe ES module of the plugin's package whose default export is this plugin, as a subpath
   * export (e.g. "./browser"). The viewer imports it; it may import @latentkit/* and @tensorflow/tfjs*
   * (the viewer provides them) and must bundle anything else. Absent: the viewer cannot load its models.
   */
  readonly browserEntry?: string;
  /** Formats other tools open that this plugin's fitted models can be written in (`latentkit export`). */
  readonly exporters?: readonly ModelExporter[];
  fit(data: Dataset, settings: ReducerSettings<Options>, options?: FitOptions): Promise<FitOutcome>;
  /**
   * With capability "fit-stream": fits from row batches without holding the rows (memory independent of the
   * row count), reading the source once or a few times (each `batches()` call is a new pass). `heldOut` rows
   * are for the reconstruction MSE it may report; they must not change the model.
   */
  fitStream?(source: RowBatchSource, settings: ReducerSettings<Options>, options?: StreamFitOptions): Promise<StreamFitOutcome>;
  load(bundle: ModelBundle): Promise<Reducer>;
}

/** Spec v1: options as a table, create() returning an unfitted reducer that fit() mutates. */
export interface ReducerPluginV1 {
  readonly specVersion: 1;
  readonly kind: string;
  readonly description: string;
  readonly displayName?: string;
  readonly options: OptionSpecs;
  readonly requiresImages?: boolean;
  create(options: { readonly latentDim: number; readonly [option: string]: unknown }): ReducerV1;
  load(bundle: ModelBundle): Promise<ReducerV1>;
}

/** Identity helper for authors: type checking, and the option types inferred from the schema. */
export function defineReducerPlugin<O>(plugin: ReducerPlugin<O>): ReducerPlugin<O> {
  return plugin;
}

const KIND = /^[a-z][a-z0-9-]*$/;

/**
 * Checks something claiming to be a plugin (e.g. a module's default export): spec v2 as it is, spec v1
 * through the adapter, anything else refused in one line naming the source.
 */
export function assertReducerPlugin(candidate: unknown, source = 'plugin'): ReducerPlugin {
  const p = candidate as Partial<ReducerPlugin> | null;
  if (!p || typeof p !== 'object') throw new LatentkitError('E_PLUGIN', `${source} does not export a reducer plugin (got ${candidate === null ? 'null' : typeof candidate})`);
  const name = typeof p.kind === 'string' ? `"${p.kind}" (${source})` : source;
  const version = (p as { specVersion?: unknown }).specVersion;
  if (typeof version !== 'number') throw new LatentkitError('E_PLUGIN', `plugin ${name} has no specVersion`);
  if (version !== REDUCER_SPEC_VERSION && version !== 1) {
    throw new LatentkitError('E_PLUGIN_SPEC', `plugin ${name} implements reducer spec version ${version}, but this latentkit supports versions 1 and ${REDUCER_SPEC_VERSION}`);
  }
  if (typeof p.kind !== 'string' || !KIND.test(p.kind)) throw new LatentkitError('E_PLUGIN', `${source}: plugin kind must be lowercase letters, digits and dashes`);
  if (version === 1) {
    const v1 = p as unknown as Partial<ReducerPluginV1>;
    if (typeof v1.create !== 'function' || typeof v1.load !== 'function') throw new LatentkitError('E_PLUGIN', `plugin ${name} must define create() and load()`);
    if (typeof v1.options !== 'object' || v1.options === null) throw new LatentkitError('E_PLUGIN', `plugin ${name} must declare options (use {} for none)`);
    return adaptV1Plugin(v1 as ReducerPluginV1, source);
  }
  if (typeof p.fit !== 'function' || typeof p.load !== 'function') throw new LatentkitError('E_PLUGIN', `plugin ${name} must define fit() and load()`);
  checkCapabilities(p.capabilities, name);
  if (p.capabilities!.includes('fit-stream') && typeof p.fitStream !== 'function') {
    throw new LatentkitError('E_PLUGIN', `plugin ${name} declares "fit-stream" but defines no fitStream()`);
  }
  const schema = p.options as Partial<OptionsSchema> | undefined;
  if (!schema || typeof schema['~standard']?.validate !== 'function') {
    throw new LatentkitError('E_PLUGIN', `plugin ${name} must declare its options as a Standard Schema (e.g. a zod object; z.object({}) for none)`);
  }
  if (p.package !== undefined && (typeof p.package?.name !== 'string' || typeof p.package?.version !== 'string')) {
    throw new LatentkitError('E_PLUGIN', `plugin ${name}: package must be { name, version }`);
  }
  const exporters = (p as { exporters?: unknown }).exporters;
  if (exporters !== undefined) {
    const ok = Array.isArray(exporters) && exporters.every((e) => typeof e?.format === 'string' && typeof e.offers === 'function' && typeof e.export === 'function');
    if (!ok) throw new LatentkitError('E_PLUGIN', `plugin ${name}: exporters must be a list of { format, description, offers(), export() }`);
  }
  return p as ReducerPlugin;
}

/** Checks what a plugin's fit() or load() returned is a fitted reducer with its declared methods. */
export function assertFittedReducer(candidate: unknown, plugin: ReducerPlugin, during: 'fit' | 'fitStream' | 'load'): Reducer {
  const m = candidate as Partial<Reducer> | null;
  const bad = (why: string) => new LatentkitError('E_PLUGIN', `plugin "${plugin.kind}": ${during}() returned ${why}`);
  if (!m || typeof m !== 'object') throw bad(`${m === null ? 'null' : typeof m}, not a fitted reducer`);
  for (const method of ['save', 'dispose'] as const) if (typeof m[method] !== 'function') throw bad(`an object without ${method}()`);
  if (!Number.isInteger(m.latentDim) || (m.latentDim as number) < 1) throw bad(`a reducer with latentDim ${String(m.latentDim)}`);
  if (!Array.isArray(m.inputShape) || !Number.isInteger(m.inputDim)) throw bad('a reducer without inputShape/inputDim');
  if (!Array.isArray(m.capabilities)) throw bad('a reducer without capabilities');
  const caps = m.capabilities as readonly Capability[];
  const methods: Partial<Record<Capability, keyof Reducer>> = { encode: 'encode', decode: 'decode', 'encode-distribution': 'encodeDistribution', sample: 'sample', 'likelihood-bound': 'logLikelihoodBound', 'partial-fit': 'partialFit' };
  for (const c of caps) {
    const method = methods[c];
    if (method && typeof m[method] !== 'function') throw bad(`a reducer declaring "${c}" without ${method}()`);
  }
  return m as Reducer;
}
