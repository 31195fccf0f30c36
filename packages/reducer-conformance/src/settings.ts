import { LatentkitError, validateDataset, type Dataset, type ReducerPlugin, type ReducerSettings, type StandardSchemaV1 } from '@latentkit/core';
import { toyImages } from './toy-data.js';

/** What a suite fits with: d and the plugin's own options, validated by the plugin's schema. */
export interface ConformanceSettings {
  /** d (default 3); must be below the dataset's feature count. */
  readonly latentDim?: number;
  /** The plugin's options as a user would give them (e.g. { epochs: 1 } for a quick autoencoder). */
  readonly options?: Readonly<Record<string, unknown>>;
}

export interface ConformanceOptions {
  readonly settings?: ConformanceSettings;
  /** Data to fit on (at least 16 rows); defaults to toyImages(): 96 seeded 8×8 images. */
  readonly dataset?: Dataset;
  /** The seed of every fit (default 7). */
  readonly seed?: number;
  /** Largest allowed |difference| between one-row and whole-batch results (float32 noise; default 1e-5). */
  readonly batchTolerance?: number;
  /**
   * Plugins with "fit-stream": largest allowed |difference| between the codes of a streamed fit and of a plain
   * fit on the same rows and seed (each latent coordinate's sign may flip). Absent: a streamed fit need only
   * give a working model (iterative reducers that see batches in another order cannot promise more).
   */
  readonly streamTolerance?: number;
}

/** ConformanceOptions with defaults filled and everything checked against the plugin before any check runs. */
export interface ResolvedConformance {
  readonly settings: ReducerSettings | Promise<ReducerSettings>;
  readonly dataset: Dataset;
  readonly seed: number;
  readonly batchTolerance: number;
  readonly streamTolerance: number | undefined;
}

const KNOWN_KEYS = new Set(['settings', 'dataset', 'seed', 'batchTolerance', 'streamTolerance']);
const KNOWN_SETTINGS = new Set(['latentDim', 'options']);
const MIN_ROWS = 16;

/**
 * Checks the suite's own configuration against the plugin, up front: a mistake here (an option the
 * plugin does not have, d ≥ D) is one clear error, not a failure in every check. Options are validated
 * synchronously when the schema allows (zod does); an async schema's verdict arrives with the first fit.
 */
export function resolveConformance(plugin: ReducerPlugin, given: ConformanceOptions = {}): ResolvedConformance {
  const bad = (why: string) => new LatentkitError('E_OPTION', `conformance settings for reducer "${plugin.kind}": ${why}`);
  for (const key of Object.keys(given)) {
    if (!KNOWN_KEYS.has(key)) {
      const hint = KNOWN_SETTINGS.has(key) ? ` (put it in settings: { ${key} })` : '';
      throw bad(`unknown key "${key}"${hint}; known: ${[...KNOWN_KEYS].join(', ')}`);
    }
  }
  for (const key of Object.keys(given.settings ?? {})) {
    if (!KNOWN_SETTINGS.has(key)) throw bad(`settings has no key "${key}"; known: latentDim, options (the plugin's own options go in settings.options)`);
  }
  const dataset = given.dataset ?? toyImages();
  validateDataset(dataset);
  if (dataset.x.rows < MIN_ROWS) throw bad(`the dataset needs at least ${MIN_ROWS} rows, got ${dataset.x.rows}`);
  if (plugin.requiresImages && !dataset.imageShape) throw bad('this reducer requires images, but the dataset has no imageShape');
  const latentDim = given.settings?.latentDim ?? 3;
  if (!Number.isInteger(latentDim) || latentDim < 1) throw bad(`latentDim must be an integer ≥ 1, got ${String(latentDim)}`);
  if (latentDim >= dataset.x.cols) throw bad(`latentDim ${latentDim} must be below the dataset's ${dataset.x.cols} features`);
  const seed = given.seed ?? 7;
  const batchTolerance = given.batchTolerance ?? 1e-5;
  if (!(batchTolerance >= 0)) throw bad(`batchTolerance must be ≥ 0, got ${String(batchTolerance)}`);
  const streamTolerance = given.streamTolerance;
  if (streamTolerance !== undefined && !(streamTolerance >= 0)) throw bad(`streamTolerance must be ≥ 0, got ${String(streamTolerance)}`);
  return { settings: validateSettings(plugin, latentDim, given.settings?.options ?? {}, bad), dataset, seed, batchTolerance, streamTolerance };
}

function validateSettings(
  plugin: ReducerPlugin,
  latentDim: number,
  options: unknown,
  bad: (why: string) => LatentkitError,
): ReducerSettings | Promise<ReducerSettings> {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw bad('settings.options must be an object');
  const verdict = (result: StandardSchemaV1.Result<unknown>): ReducerSettings => {
    if (result.issues) {
      const issues = result.issues.map((i) => `${pathOf(i)}${i.message}`).join('; ');
      throw bad(`settings.options are not valid for this plugin: ${issues} (its options: ${optionNames(plugin)})`);
    }
    return { latentDim, options: result.value };
  };
  const result = plugin.options['~standard'].validate(options);
  return result instanceof Promise ? result.then(verdict) : verdict(result);
}

function pathOf(issue: StandardSchemaV1.Issue): string {
  const parts = (issue.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p));
  return parts.length ? `${parts.join('.')}: ` : '';
}

/** The plugin's option names for the error message, when its schema can say (else "see its docs"). */
function optionNames(plugin: ReducerPlugin): string {
  try {
    const schema = plugin.options['~standard'].jsonSchema?.input({ target: 'draft-2020-12' });
    const names = Object.keys((schema?.properties ?? {}) as object);
    return names.length ? names.join(', ') : 'none';
  } catch {
    return 'see its documentation';
  }
}
