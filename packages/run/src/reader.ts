import { LatentkitError, isLatentkitError, type Matrix } from '@latentkit/core';
import type { LatentDensityJson } from '@latentkit/latent';
import { RUN_IDS_FILE, RUN_MANIFEST_FILE, parseRunManifest, type FitMetrics, type RunManifest, type RunModel } from './format.js';

/**
 * Reads one file of a run folder by its path inside the run ("points/images.bin"); resolves `undefined` when
 * the file does not exist. Node reads from disk (`runDirReader` in ./node), the viewer over fetch.
 */
export type RunFileReader = (path: string) => Promise<Uint8Array | undefined>;

export interface LoadRunOptions {
  /** How errors name a file, e.g. its URL or absolute path (default: its path inside the run). */
  readonly name?: (path: string) => string;
}

/** Anomaly scores of the run's test points (points with split 1, in points order). */
export interface RunScores {
  /** Reconstruction error; only for models that encode and decode. */
  readonly reconstruction?: readonly number[];
  readonly density: readonly number[];
  /** The standardised scores available, added (the density score alone for a model that cannot reconstruct). */
  readonly combined: readonly number[];
}

/** <model>/latent.json. */
export interface LatentFile {
  readonly gaussian?: LatentDensityJson;
  readonly gmm?: LatentDensityJson;
  readonly scores?: RunScores;
}

/** The parts of <model>/metrics.json readers use (runs written before spec v2 may lack the rest). */
export type ModelMetrics = Partial<FitMetrics>;

export interface RunModelData {
  readonly info: RunModel;
  /** n × d codes of the points; absent when the model gives none (`info.codes` false). */
  readonly codes?: Matrix;
  readonly latent?: LatentFile;
  readonly metrics?: ModelMetrics;
}

export interface RunData {
  readonly manifest: RunManifest;
  readonly n: number;
  readonly features: number;
  /** [h, w, c] of one point, or a square guess for flat data. */
  readonly imageShape: readonly [number, number, number];
  /** n × D pixel bytes (value × 255). */
  readonly images: Uint8Array;
  readonly labels?: Int32Array;
  /** 0 = train, 1 = test, per point. */
  readonly split: Uint8Array;
  /** Indices of the test points, in points order (the order of latent.json scores). */
  readonly testIndices: Int32Array;
  /** Row ids from points/ids.json (a table's id column, train then test); undefined when the run has none. */
  readonly ids?: readonly string[];
  readonly models: readonly RunModelData[];
}

/** Reads run.json, the points and every model's codes, latent.json and metrics.json, checking sizes against the manifest. */
export async function loadRun(read: RunFileReader, options: LoadRunOptions = {}): Promise<RunData> {
  const name = options.name ?? ((p: string) => p);
  const files = fileAccess(read, name);
  const manifest = parseRunManifest(new TextDecoder().decode(await files.required(RUN_MANIFEST_FILE)), name(RUN_MANIFEST_FILE));
  const { n, features } = manifest.data;

  // Points and every model's files are read at once; each is checked against the manifest.
  const points = Promise.all([
    files.required('points/images.bin', n * features),
    files.required('points/split.bin', n),
    manifest.data.hasLabels ? files.required('points/labels.bin', n * 4) : Promise.resolve(undefined),
    manifest.data.hasIds === true ? files.json<unknown>(RUN_IDS_FILE) : Promise.resolve(undefined),
  ]);
  const models = Promise.all(manifest.models.map((info) => loadModel(files, info, n)));
  const [[images, split, labelBytes, idsJson], modelData] = await Promise.all([points, models]);
  const ids = manifest.data.hasIds === true ? checkIds(idsJson, n, name(RUN_IDS_FILE)) : undefined;
  const testIndices = Int32Array.from(Array.from(split, (s, i) => (s === 1 ? i : -1)).filter((i) => i >= 0));
  for (const m of modelData) checkScores(m, testIndices.length, name(`${m.info.dir}/latent.json`));
  return {
    manifest,
    n,
    features,
    imageShape: imageShapeOf(manifest),
    images,
    ...(labelBytes ? { labels: asInt32(labelBytes) } : {}),
    split,
    testIndices,
    ...(ids ? { ids } : {}),
    models: modelData,
  };
}

async function loadModel(files: ReturnType<typeof fileAccess>, info: RunModel, n: number): Promise<RunModelData> {
  const [codeBytes, latent, metrics] = await Promise.all([
    info.codes ? files.required(`${info.dir}/codes.bin`, n * info.latentDim * 4) : Promise.resolve(undefined),
    files.json<LatentFile>(`${info.dir}/latent.json`),
    files.json<ModelMetrics>(`${info.dir}/metrics.json`),
  ]);
  const codes: Matrix | undefined = codeBytes ? { data: asFloat32(codeBytes), rows: n, cols: info.latentDim } : undefined;
  return { info, ...(codes ? { codes } : {}), ...(latent ? { latent } : {}), ...(metrics ? { metrics } : {}) };
}

function fileAccess(read: RunFileReader, name: (path: string) => string) {
  const bytes = async (path: string): Promise<Uint8Array | undefined> => {
    try {
      return await read(path);
    } catch (e) {
      if (isLatentkitError(e)) throw e;
      throw new LatentkitError('E_IO', `cannot read ${name(path)} (${(e as Error).message})`, { cause: e });
    }
  };
  return {
    async required(path: string, expectedLength?: number): Promise<Uint8Array> {
      const b = await bytes(path);
      if (!b) throw new LatentkitError('E_IO', `${name(path)} is missing`);
      if (expectedLength !== undefined && b.byteLength !== expectedLength) {
        throw new LatentkitError('E_INPUT_FORMAT', `${name(path)} has ${b.byteLength} bytes, expected ${expectedLength}`);
      }
      return b;
    },
    async json<T>(path: string): Promise<T | undefined> {
      const b = await bytes(path);
      if (!b) return undefined;
      try {
        return JSON.parse(new TextDecoder().decode(b)) as T;
      } catch (e) {
        throw new LatentkitError('E_INPUT_FORMAT', `${name(path)} is not valid JSON (${(e as Error).message})`);
      }
    },
  };
}

/** points/ids.json must be one id per point; numbers (a numeric id column) read as their text. */
function checkIds(json: unknown, n: number, source: string): readonly string[] {
  if (json === undefined) throw new LatentkitError('E_IO', `${source} is missing (run.json says the points have ids)`);
  if (!Array.isArray(json) || json.length !== n) {
    throw new LatentkitError('E_INPUT_FORMAT', `${source} has ${Array.isArray(json) ? `${json.length} ids` : 'no JSON array'}, expected one id per point (${n})`);
  }
  return json.map((id, i) => {
    if (typeof id === 'string') return id;
    if (typeof id === 'number' && Number.isFinite(id)) return String(id);
    throw new LatentkitError('E_INPUT_FORMAT', `${source}: id ${i} is ${JSON.stringify(id)}, expected a string`);
  });
}

function checkScores(model: RunModelData, tests: number, source: string): void {
  const scores = model.latent?.scores;
  if (!scores) return;
  for (const [key, list] of Object.entries(scores)) {
    if (list !== undefined && (!Array.isArray(list) || list.length !== tests)) {
      throw new LatentkitError('E_INPUT_FORMAT', `${source}: scores.${key} has ${Array.isArray(list) ? list.length : 'no'} values, expected one per test point (${tests})`);
    }
  }
}

/** Copies into a fresh, aligned buffer (read bytes may be unaligned views). */
function asFloat32(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

function asInt32(bytes: Uint8Array): Int32Array {
  const out = new Int32Array(bytes.byteLength / 4);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

function imageShapeOf(manifest: RunManifest): readonly [number, number, number] {
  if (manifest.data.imageShape) return manifest.data.imageShape;
  const side = Math.round(Math.sqrt(manifest.data.features));
  return side * side === manifest.data.features ? [side, side, 1] : [1, manifest.data.features, 1];
}

/** One point's code under a model (a view, no copy); E_UNSUPPORTED when the model has no codes. */
export function pointCode(model: RunModelData, i: number): Float32Array {
  if (!model.codes) throw new LatentkitError('E_UNSUPPORTED', `model "${model.info.dir}" (${model.info.kind}) has no codes for the run's points`);
  return model.codes.data.subarray(i * model.codes.cols, (i + 1) * model.codes.cols);
}

/** The label of point i as a name ("7", "Sneaker"), or '' when the run has no labels. */
export function labelName(run: RunData, i: number): string {
  if (!run.labels) return '';
  const l = run.labels[i]!;
  return run.manifest.data.labelNames?.[l] ?? String(l);
}
