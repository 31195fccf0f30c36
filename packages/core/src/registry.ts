import { withPluginPackage, type BundleManifest, type ModelBundle } from './bundle.js';
import { LatentkitError } from './errors.js';
import type { Dataset } from './dataset.js';
import { validateOptions } from './options-schema.js';
import { requireCapability } from './capabilities.js';
import {
  assertFittedReducer,
  assertReducerPlugin,
  type FitOutcome,
  type ReducerPlugin,
  type ReducerSettings,
  type RowsMse,
  type StreamFitOptions,
  type StreamFitOutcome,
} from './plugin.js';
import type { FitOptions, Reducer } from './reducer.js';
import type { RowBatchSource } from './row-batches.js';
import type { ModelExporter } from './export.js';

/** Reducer plugins by kind. Apps build one, register what they compose, and fit or load through it. */
export class ReducerRegistry {
  readonly #plugins = new Map<string, ReducerPlugin>();
  /** The objects registered as given (a v1 plugin is stored adapted), so registering one twice is a no-op. */
  readonly #registered = new Set<unknown>();

  /** Registers a plugin (spec v2, or v1 through the adapter); `source` names where it came from in errors. */
  register(plugin: unknown, source?: string): this {
    if (this.#registered.has(plugin)) return this;
    const p = assertReducerPlugin(plugin, source);
    if (this.#plugins.has(p.kind)) throw new LatentkitError('E_PLUGIN', `a reducer named "${p.kind}" is already registered`);
    this.#plugins.set(p.kind, p);
    this.#registered.add(plugin);
    return this;
  }

  has(kind: string): boolean {
    return this.#plugins.has(kind);
  }

  get(kind: string): ReducerPlugin {
    const p = this.#plugins.get(kind);
    if (!p) throw new LatentkitError('E_UNKNOWN_REDUCER', `unknown reducer "${kind}" (available: ${this.kinds().join(', ') || 'none'})`);
    return p;
  }

  kinds(): string[] {
    return [...this.#plugins.keys()].sort();
  }

  list(): ReducerPlugin[] {
    return this.kinds().map((k) => this.#plugins.get(k)!);
  }

  /** The export formats the plugin of a fitted model declares that offer this model (none for an unknown kind). */
  exporters(model: Reducer): ModelExporter[] {
    return (this.#plugins.get(model.kind)?.exporters ?? []).filter((e) => e.offers(model));
  }

  /** Validates d and the options against the plugin's schema (defaults filled) before any work starts. */
  async settings(kind: string, latentDim: number, options: unknown = {}): Promise<ReducerSettings> {
    const plugin = this.get(kind);
    checkLatentDim(plugin, latentDim);
    return { latentDim, options: (await validateOptions(kind, plugin.options, options)) as Record<string, unknown> };
  }

  /** Fits a new model: options validated, the result checked to be a fitted reducer of the declared capabilities. */
  async fit(kind: string, data: Dataset, settings: ReducerSettings, options?: FitOptions): Promise<FitOutcome> {
    const plugin = this.get(kind);
    const outcome = await plugin.fit(data, settings, options);
    if (!outcome || typeof outcome !== 'object') throw new LatentkitError('E_PLUGIN', `plugin "${kind}": fit() returned ${String(outcome)}, not { model, result }`);
    const model = assertFittedReducer(outcome.model, plugin, 'fit');
    if (plugin.capabilities.includes('fit-transform') && !plugin.capabilities.includes('encode') && !outcome.embedding) {
      model.dispose();
      throw new LatentkitError('E_PLUGIN', `plugin "${kind}" is fit-transform only but fit() returned no embedding`);
    }
    return { ...outcome, model };
  }

  /**
   * Fits a new model from row batches (plugins declaring "fit-stream"; else E_UNSUPPORTED naming the reducer),
   * checked like fit(); a reported reconstruction MSE that is not { n, mse ≥ 0 } is refused as a plugin bug.
   */
  async fitStream(kind: string, source: RowBatchSource, settings: ReducerSettings, options?: StreamFitOptions): Promise<StreamFitOutcome> {
    const plugin = this.get(kind);
    requireCapability(plugin, 'fit-stream', `a fit from ${source.name} read in batches`);
    const outcome = await plugin.fitStream!(source, settings, options);
    if (!outcome || typeof outcome !== 'object') throw new LatentkitError('E_PLUGIN', `plugin "${kind}": fitStream() returned ${String(outcome)}, not { model, result }`);
    const model = assertFittedReducer(outcome.model, plugin, 'fitStream');
    const r = outcome.reconstruction;
    if (r !== undefined && !(isRowsMse(r.train) && (r.test === undefined || isRowsMse(r.test)))) {
      model.dispose();
      throw new LatentkitError('E_PLUGIN', `plugin "${kind}": fitStream() reported reconstruction ${JSON.stringify(r)}, not { train: { n, mse }, test?: { n, mse } }`);
    }
    return { ...outcome, model };
  }

  /** Loads a bundle with the plugin named in its manifest; a missing plugin names the package to install. */
  async load(bundle: ModelBundle): Promise<Reducer> {
    const plugin = this.pluginFor(bundle.manifest);
    return assertFittedReducer(await plugin.load(bundle), plugin, 'load');
  }

  /** The plugin that reads a bundle, or E_UNKNOWN_REDUCER naming the package that wrote it. */
  pluginFor(manifest: BundleManifest): ReducerPlugin {
    if (this.has(manifest.kind)) return this.get(manifest.kind);
    const pkg = manifest.plugin;
    const hint = pkg ? `: install ${pkg.name}@${pkg.version} and load it as a plugin (--plugin ${pkg.name} or latentkit.config.json)` : ` (available: ${this.kinds().join(', ') || 'none'})`;
    throw new LatentkitError('E_UNKNOWN_REDUCER', `this model needs reducer "${manifest.kind}", which is not loaded${hint}`);
  }

  /** Saves a model, recording the package of its plugin in the bundle. */
  async save(model: Reducer): Promise<ModelBundle> {
    const bundle = await model.save();
    return withPluginPackage(bundle, this.#plugins.get(model.kind)?.package);
  }
}

function isRowsMse(m: RowsMse | undefined): boolean {
  return typeof m === 'object' && m !== null && Number.isInteger(m.n) && m.n >= 0 && Number.isFinite(m.mse) && m.mse >= 0;
}

function checkLatentDim(plugin: ReducerPlugin, d: unknown): void {
  const integer = typeof d === 'number' && Number.isInteger(d) && d >= 1;
  const fraction = plugin.fractionalLatentDim === true && typeof d === 'number' && d > 0 && d < 1;
  if (!integer && !fraction) {
    const want = plugin.fractionalLatentDim ? 'an integer ≥ 1 or a variance fraction in (0, 1)' : 'an integer ≥ 1';
    throw new LatentkitError('E_OPTION', `reducer "${plugin.kind}": latent dimension must be ${want}, got ${String(d)}`);
  }
}
