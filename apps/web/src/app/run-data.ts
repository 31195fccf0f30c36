import { LatentkitError, RUN_MANIFEST_FILE, parseRunManifest, type Matrix, type RunManifest, type RunModel } from '@latentkit/core';
import type { LatentDensityJson } from '@latentkit/latent';

/** Anomaly scores of the run's test points (points with split 1, in points order). */
export interface RunScores {
  readonly reconstruction: readonly number[];
  readonly density: readonly number[];
  readonly combined: readonly number[];
}

/** <model>/latent.json as `latentkit demo` writes it. */
export interface LatentFile {
  readonly gaussian?: LatentDensityJson;
  readonly gmm?: LatentDensityJson;
  readonly scores?: RunScores;
}

/** The parts of <model>/metrics.json the viewer reads. */
export interface ModelMetrics {
  readonly explainedVarianceRatio?: readonly number[];
  readonly test?: { readonly mse: number };
}

export interface RunModelData {
  readonly info: RunModel;
  /** URL of the model folder (its bundle). */
  readonly url: string;
  /** n × d codes of the points. */
  readonly codes: Matrix;
  readonly latent?: LatentFile;
  readonly metrics?: ModelMetrics;
}

export interface RunData {
  readonly url: string;
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
  readonly models: readonly RunModelData[];
}

/** Resolves `path` against the run's base URL (which always ends in "/"). */
export function runUrl(base: string, path: string): string {
  return new URL(path, base).href;
}

export function normaliseRunUrl(raw: string, page: string): string {
  const url = new URL(raw, page).href;
  return url.endsWith('/') ? url : `${url}/`;
}

async function fetchBytes(url: string, optional = false): Promise<Uint8Array | undefined> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new LatentkitError('E_IO', `cannot fetch ${url} (${(e as Error).message})`, { cause: e });
  }
  if (!res.ok) {
    if (optional && res.status === 404) return undefined;
    throw new LatentkitError('E_IO', `cannot fetch ${url} (HTTP ${res.status})`);
  }
  return new Uint8Array(await res.arrayBuffer());
}

async function fetchJson<T>(url: string, optional = false): Promise<T | undefined> {
  const bytes = await fetchBytes(url, optional);
  if (!bytes) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as T;
  } catch (e) {
    throw new LatentkitError('E_INPUT_FORMAT', `${url} is not valid JSON (${(e as Error).message})`);
  }
}

function expectLength(bytes: Uint8Array, expected: number, url: string): void {
  if (bytes.byteLength !== expected) throw new LatentkitError('E_INPUT_FORMAT', `${url} has ${bytes.byteLength} bytes, expected ${expected}`);
}

/** Copies into a fresh, aligned buffer (fetched bytes may not be 4-byte aligned views). */
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

/** Fetches run.json, the points and every model's codes, latent.json and metrics.json. */
export async function loadRun(baseUrl: string): Promise<RunData> {
  const manifestUrl = runUrl(baseUrl, RUN_MANIFEST_FILE);
  const text = new TextDecoder().decode(await fetchBytes(manifestUrl));
  const manifest = parseRunManifest(text, manifestUrl);
  const { n, features } = manifest.data;

  const imagesUrl = runUrl(baseUrl, 'points/images.bin');
  const splitUrl = runUrl(baseUrl, 'points/split.bin');
  const labelsUrl = runUrl(baseUrl, 'points/labels.bin');
  // Points and every model's files are fetched at once; each is checked against the manifest.
  const points = Promise.all([
    fetchBytes(imagesUrl),
    fetchBytes(splitUrl),
    manifest.data.hasLabels ? fetchBytes(labelsUrl) : Promise.resolve(undefined),
  ]);
  const modelFiles = Promise.all(
    manifest.models.map(async (info): Promise<RunModelData> => {
      const url = runUrl(baseUrl, `${info.dir}/`);
      const codesUrl = runUrl(url, 'codes.bin');
      const [codeBytes, latent, metrics] = await Promise.all([
        fetchBytes(codesUrl),
        fetchJson<LatentFile>(runUrl(url, 'latent.json'), true),
        fetchJson<ModelMetrics>(runUrl(url, 'metrics.json'), true),
      ]);
      expectLength(codeBytes!, n * info.latentDim * 4, codesUrl);
      const codes: Matrix = { data: asFloat32(codeBytes!), rows: n, cols: info.latentDim };
      return { info, url, codes, ...(latent ? { latent } : {}), ...(metrics ? { metrics } : {}) };
    }),
  );
  const [[images, split, labelBytes], models] = await Promise.all([points, modelFiles]);
  expectLength(images!, n * features, imagesUrl);
  expectLength(split!, n, splitUrl);
  if (labelBytes) expectLength(labelBytes, n * 4, labelsUrl);

  const testIndices = Int32Array.from(
    Array.from(split!, (s, i) => (s === 1 ? i : -1)).filter((i) => i >= 0),
  );
  return {
    url: baseUrl,
    manifest,
    n,
    features,
    imageShape: imageShapeOf(manifest),
    images: images!,
    ...(labelBytes ? { labels: asInt32(labelBytes) } : {}),
    split: split!,
    testIndices,
    models,
  };
}

/** One point's code under a model (a view, no copy). */
export function pointCode(model: RunModelData, i: number): Float32Array {
  return model.codes.data.subarray(i * model.codes.cols, (i + 1) * model.codes.cols);
}

export function labelName(run: RunData, i: number): string {
  if (!run.labels) return '';
  const l = run.labels[i]!;
  return run.manifest.data.labelNames?.[l] ?? String(l);
}
