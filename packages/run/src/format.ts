import { CAPABILITIES, LatentkitError, type Capability, type FitResult, type PluginPackage } from '@latentkit/core';

/**
 * A run folder (written by `latentkit demo` / `compare` / `view`, read by the report and the viewer):
 *
 *   run.json                 this manifest
 *   points/images.bin        uint8, n × D values ×255, clipped to [0, 1] (the points shown in the viewer)
 *   points/labels.bin        int32, n labels (absent when the data has none)
 *   points/split.bin         uint8, n flags: 0 = train, 1 = test
 *   points/ids.json          JSON array of n row ids, train then test (only when the data has an id column:
 *                            data.hasIds in run.json)
 *   <model.dir>/             a model bundle (manifest.json + .bin), with metrics.json when fitted by the pipeline
 *   <model.dir>/codes.bin    float32, n × d codes of the points (only when the model gives codes: `codes`)
 *   <model.dir>/latent.json  latent densities fitted to the training codes and anomaly scores of the test points:
 *                            density, reconstruction (only for models that encode and decode) and combined
 *                            (the available scores standardised and added); only for models with codes
 *   compare.json, *.png, *.svg, report.html
 *
 * Version 2 records each model's capabilities and plugin package, and makes codes and reconstruction
 * optional by capability. Version 1 folders still read: their models encoded and decoded.
 */
export const RUN_FORMAT = 'latentkit-run';
export const RUN_FORMAT_VERSION = 2;
export const RUN_MANIFEST_FILE = 'run.json';
/** Row ids of the points (train then test), present only when the data has an id column. */
export const RUN_IDS_FILE = 'points/ids.json';
const READABLE_VERSIONS: readonly number[] = [1, RUN_FORMAT_VERSION];

export interface RunModel {
  /** Folder name inside the run, e.g. "conv-ae" or "conv-ae-d8". */
  readonly dir: string;
  readonly kind: string;
  readonly displayName: string;
  readonly latentDim: number;
  /** What the model can do; readers offer reconstruction, interpolation and sampling by these, never by kind. */
  readonly capabilities: readonly Capability[];
  /** The npm package of the model's plugin, so a reader without it can say what to install. */
  readonly plugin?: PluginPackage;
  /** Whether <dir>/codes.bin holds the codes of every point. */
  readonly codes: boolean;
  /** Test-set reconstruction MSE; absent when the model cannot reconstruct. */
  readonly testMse?: number;
}

export interface RunManifest {
  readonly format: typeof RUN_FORMAT;
  readonly formatVersion: number;
  readonly createdAt: string;
  readonly seed: number;
  readonly data: {
    readonly spec: string;
    readonly name: string;
    readonly n: number;
    readonly features: number;
    readonly imageShape?: readonly [number, number, number];
    readonly labelNames?: readonly string[];
    readonly hasLabels: boolean;
    /**
     * Whether points/ids.json exists (the data has an id column). Readers fetch it only then, so a run
     * without ids costs no failed request (a browser logs every 404); absent in runs written before ids.
     */
    readonly hasIds?: boolean;
  };
  readonly models: readonly RunModel[];
  /** Free-form facts: versions, timings, options. */
  readonly info?: Readonly<Record<string, unknown>>;
}

/** Why a model has no reconstruction figures, as metrics.json says it. */
export type ReconstructionStatus = { readonly available: true } | { readonly available: false; readonly reason: string };

/** <model.dir>/metrics.json as the fit pipeline writes it (and `latentkit fit` prints with --json). */
export interface FitMetrics {
  readonly reducer: string;
  readonly latentDim: number;
  readonly data: string;
  readonly seed: number;
  readonly capabilities: readonly Capability[];
  readonly plugin?: PluginPackage;
  readonly reconstruction: ReconstructionStatus;
  /** MSE of g(f(x)); absent when reconstruction is unavailable. */
  readonly train: { readonly n: number; readonly mse?: number };
  readonly test: { readonly n: number; readonly mse?: number };
  readonly fitSeconds: number;
  readonly parameters: number;
  readonly explainedVarianceRatio?: readonly number[];
  readonly history?: FitResult['history'];
  readonly options: Readonly<Record<string, unknown>>;
  /** What the fit reported about itself (threads, samples/s, epochs run, retries …): its scalar FitResult.info. */
  readonly fitInfo?: Readonly<Record<string, number | string | boolean>>;
}

const DIR = /^[A-Za-z0-9_.-]+$/;

/** Validates run.json text (version 1 is upgraded: its models encoded and decoded and always had codes). */
export function parseRunManifest(text: string, source = RUN_MANIFEST_FILE): RunManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new LatentkitError('E_INPUT_FORMAT', `${source} is not valid JSON (${(e as Error).message})`);
  }
  const m = raw as Partial<RunManifest> | null;
  if (!m || typeof m !== 'object' || Array.isArray(m) || m.format !== RUN_FORMAT) throw new LatentkitError('E_INPUT_FORMAT', `${source} is not a latentkit run manifest`);
  if (!READABLE_VERSIONS.includes(m.formatVersion as number)) {
    throw new LatentkitError('E_BUNDLE_VERSION', `${source}: run format version ${JSON.stringify(m.formatVersion)} is not supported (this latentkit reads versions ${READABLE_VERSIONS.join(' and ')})`);
  }
  const data = m.data;
  if (!data || typeof data !== 'object' || !isCount(data.n) || !isCount(data.features)) throw new LatentkitError('E_INPUT_FORMAT', `${source}: missing data description`);
  if (!Array.isArray(m.models)) throw new LatentkitError('E_INPUT_FORMAT', `${source}: missing models`);
  const models = m.models.map((model: unknown) => (m.formatVersion === 1 ? upgradeV1Model(model, source) : checkModel(model, source)));
  return { ...(m as RunManifest), formatVersion: RUN_FORMAT_VERSION, models };
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1;
}

function checkDir(model: Partial<RunModel> | null, source: string): void {
  if (typeof model?.dir !== 'string' || !DIR.test(model.dir) || model.dir.startsWith('.')) {
    throw new LatentkitError('E_INPUT_FORMAT', `${source}: invalid model folder ${JSON.stringify(model?.dir)}`);
  }
  if (typeof model.kind !== 'string' || !isCount(model.latentDim)) throw new LatentkitError('E_INPUT_FORMAT', `${source}: model ${model.dir} needs a kind and an integer latentDim ≥ 1`);
}

function checkModel(raw: unknown, source: string): RunModel {
  const model = raw as Partial<RunModel> | null;
  checkDir(model, source);
  const m = model as RunModel;
  const caps = m.capabilities as unknown;
  if (!Array.isArray(caps) || caps.some((c) => !CAPABILITIES.includes(c as Capability))) {
    throw new LatentkitError('E_INPUT_FORMAT', `${source}: model ${m.dir} has capabilities ${JSON.stringify(caps)} (known: ${CAPABILITIES.join(', ')})`);
  }
  if (typeof m.codes !== 'boolean') throw new LatentkitError('E_INPUT_FORMAT', `${source}: model ${m.dir} must say whether it has codes ("codes": true or false)`);
  if (m.testMse !== undefined && typeof m.testMse !== 'number') throw new LatentkitError('E_INPUT_FORMAT', `${source}: model ${m.dir} has a non-numeric testMse`);
  return { ...m, displayName: typeof m.displayName === 'string' ? m.displayName : m.kind };
}

function upgradeV1Model(raw: unknown, source: string): RunModel {
  const model = raw as (Partial<RunModel> & { testMse?: number | null }) | null;
  checkDir(model, source);
  const { testMse, ...rest } = model as RunModel & { testMse?: number | null };
  return {
    ...rest,
    displayName: typeof rest.displayName === 'string' ? rest.displayName : rest.kind,
    capabilities: ['encode', 'decode'],
    codes: true,
    ...(typeof testMse === 'number' ? { testMse } : {}),
  };
}
