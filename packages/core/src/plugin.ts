import type { ModelBundle } from './bundle.js';
import { LatentkitError } from './errors.js';
import type { OptionSpecs } from './options.js';
import type { Reducer } from './reducer.js';

/**
 * The version of the reducer plugin spec this core implements. A plugin declares the version it was
 * written against; the registry refuses other versions (like vercel/ai's versioned provider spec).
 */
export const REDUCER_SPEC_VERSION = 1;

/** Options every reducer takes: the latent dimension and a seed. Plugin-specific options come on top. */
export interface CreateReducerOptions {
  /** d: a positive integer; reducers that support it may accept a fraction in (0,1) meaning "variance to keep". */
  readonly latentDim: number;
  readonly [option: string]: unknown;
}

export interface ReducerPlugin {
  readonly specVersion: number;
  /** Unique name used on the command line and in bundles, e.g. "pca", "conv-ae". */
  readonly kind: string;
  readonly description: string;
  /** Short human name for figures and tables, e.g. "PCA", "CNN"; defaults to `kind`. */
  readonly displayName?: string;
  /** Plugin-specific options with defaults and bounds (latentDim is implied). */
  readonly options: OptionSpecs;
  /** Whether the reducer needs image-shaped input ([h,w,c]). */
  readonly requiresImages?: boolean;
  create(options: CreateReducerOptions): Reducer;
  load(bundle: ModelBundle): Promise<Reducer>;
}

/** Identity helper for authors: gives type checking and documents intent. */
export function defineReducerPlugin<P extends ReducerPlugin>(plugin: P): P {
  return plugin;
}

/** Checks the shape and spec version of something claiming to be a plugin (e.g. a module's default export). */
export function assertReducerPlugin(candidate: unknown, source = 'plugin'): ReducerPlugin {
  const p = candidate as Partial<ReducerPlugin> | null;
  if (!p || typeof p !== 'object') throw new LatentkitError('E_PLUGIN', `${source} does not export a reducer plugin (got ${typeof candidate})`);
  const name = typeof p.kind === 'string' ? `"${p.kind}" (${source})` : source;
  if (typeof p.specVersion !== 'number') throw new LatentkitError('E_PLUGIN', `plugin ${name} has no specVersion`);
  if (p.specVersion !== REDUCER_SPEC_VERSION) {
    throw new LatentkitError(
      'E_PLUGIN_SPEC',
      `plugin ${name} implements reducer spec version ${p.specVersion}, but this latentkit supports version ${REDUCER_SPEC_VERSION}`,
    );
  }
  if (typeof p.kind !== 'string' || !/^[a-z][a-z0-9-]*$/.test(p.kind)) throw new LatentkitError('E_PLUGIN', `${source}: plugin kind must be lowercase letters, digits and dashes`);
  if (typeof p.create !== 'function' || typeof p.load !== 'function') throw new LatentkitError('E_PLUGIN', `plugin ${name} must define create() and load()`);
  if (typeof p.options !== 'object' || p.options === null) throw new LatentkitError('E_PLUGIN', `plugin ${name} must declare options (use {} for none)`);
  return p as ReducerPlugin;
}
