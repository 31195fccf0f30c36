import { crc32 } from './crc32.js';
import { LatentkitError } from './errors.js';

/**
 * A saved model: a folder holding manifest.json plus one binary file per blob. The same bytes load in
 * Node (read from disk) and in the browser (fetched): both go through `readBundle` with a file reader.
 */
export const BUNDLE_FORMAT = 'latentkit-bundle';
export const BUNDLE_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';

export type BlobDtype = 'float32' | 'int32' | 'uint8';

export interface BlobInfo {
  readonly file: string;
  readonly dtype: BlobDtype;
  readonly shape: readonly number[];
  readonly byteLength: number;
  readonly crc32: number;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };

export interface BundleManifest {
  readonly format: typeof BUNDLE_FORMAT;
  readonly formatVersion: number;
  readonly kind: string;
  readonly specVersion: number;
  /** The npm package that wrote the bundle, so a reader without it can say what to install. */
  readonly plugin?: { readonly name: string; readonly version: string };
  readonly options: Readonly<Record<string, JsonValue>>;
  readonly inputShape: readonly number[];
  readonly latentDim: number;
  readonly seed: number | null;
  readonly metrics: Readonly<Record<string, JsonValue>>;
  readonly createdAt: string;
  readonly blobs: Readonly<Record<string, BlobInfo>>;
  /** Reducer-specific metadata (e.g. a training history). */
  readonly extra: Readonly<Record<string, JsonValue>>;
}

export interface BundleBlob {
  readonly dtype: BlobDtype;
  readonly shape: readonly number[];
  readonly bytes: Uint8Array;
}

export interface ModelBundle {
  readonly manifest: BundleManifest;
  readonly blobs: ReadonlyMap<string, BundleBlob>;
}

export interface CreateBundleInit {
  readonly kind: string;
  readonly specVersion: number;
  readonly plugin?: { readonly name: string; readonly version: string };
  readonly options: Readonly<Record<string, unknown>>;
  readonly inputShape: readonly number[];
  readonly latentDim: number;
  readonly seed?: number | null;
  readonly metrics?: Readonly<Record<string, unknown>>;
  readonly extra?: Readonly<Record<string, unknown>>;
  readonly blobs: Readonly<Record<string, BundleBlob>>;
  readonly createdAt?: string;
}

const BLOB_NAME = /^[A-Za-z0-9_.-]+$/;

export function createBundle(init: CreateBundleInit): ModelBundle {
  const blobs = new Map<string, BundleBlob>();
  const infos: Record<string, BlobInfo> = {};
  for (const [name, blob] of Object.entries(init.blobs)) {
    if (!BLOB_NAME.test(name) || name === 'manifest') throw new LatentkitError('E_BUNDLE_CORRUPT', `invalid blob name "${name}"`);
    const expected = blob.shape.reduce((a, b) => a * b, 1) * bytesPerElement(blob.dtype);
    if (blob.bytes.byteLength !== expected) {
      throw new LatentkitError('E_BUNDLE_CORRUPT', `blob "${name}" has ${blob.bytes.byteLength} bytes, shape [${blob.shape}] needs ${expected}`);
    }
    blobs.set(name, blob);
    infos[name] = { file: `${name}.bin`, dtype: blob.dtype, shape: [...blob.shape], byteLength: blob.bytes.byteLength, crc32: crc32(blob.bytes) };
  }
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    kind: init.kind,
    specVersion: init.specVersion,
    ...(init.plugin ? { plugin: { name: init.plugin.name, version: init.plugin.version } } : {}),
    options: toJson(init.options) as Record<string, JsonValue>,
    inputShape: [...init.inputShape],
    latentDim: init.latentDim,
    seed: init.seed ?? null,
    metrics: toJson(init.metrics ?? {}) as Record<string, JsonValue>,
    createdAt: init.createdAt ?? new Date().toISOString(),
    blobs: infos,
    extra: toJson(init.extra ?? {}) as Record<string, JsonValue>,
  };
  return { manifest, blobs };
}

/** A copy of the bundle with extra metrics merged into its manifest (e.g. test MSE after evaluation). */
export function withMetrics(bundle: ModelBundle, metrics: Readonly<Record<string, unknown>>): ModelBundle {
  return { blobs: bundle.blobs, manifest: { ...bundle.manifest, metrics: { ...bundle.manifest.metrics, ...(toJson(metrics) as Record<string, JsonValue>) } } };
}

/** A copy of the bundle recording the package that wrote it (kept when the plugin already recorded one). */
export function withPluginPackage(bundle: ModelBundle, plugin: { readonly name: string; readonly version: string } | undefined): ModelBundle {
  if (!plugin || bundle.manifest.plugin) return bundle;
  return { blobs: bundle.blobs, manifest: { ...bundle.manifest, plugin: { name: plugin.name, version: plugin.version } } };
}

function toJson(v: unknown): JsonValue {
  return JSON.parse(JSON.stringify(v ?? null)) as JsonValue;
}

export function bytesPerElement(dtype: BlobDtype): number {
  return dtype === 'uint8' ? 1 : 4;
}

export function float32Blob(values: Float32Array | ArrayLike<number>, shape: readonly number[]): BundleBlob {
  const f = values instanceof Float32Array ? values : Float32Array.from(values);
  // Copy so the blob owns exactly its bytes (a subarray view may share a larger buffer).
  const bytes = new Uint8Array(f.byteLength);
  bytes.set(new Uint8Array(f.buffer, f.byteOffset, f.byteLength));
  return { dtype: 'float32', shape: [...shape], bytes };
}

/** Reads a float32 blob, checking its shape when one is expected. */
export function readFloat32Blob(bundle: ModelBundle, name: string, expectedShape?: readonly number[]): Float32Array {
  const blob = bundle.blobs.get(name);
  if (!blob) throw new LatentkitError('E_BUNDLE_CORRUPT', `bundle of "${bundle.manifest.kind}" is missing blob "${name}"`);
  if (blob.dtype !== 'float32') throw new LatentkitError('E_BUNDLE_CORRUPT', `blob "${name}" is ${blob.dtype}, expected float32`);
  if (expectedShape && (expectedShape.length !== blob.shape.length || expectedShape.some((d, i) => d !== blob.shape[i]))) {
    throw new LatentkitError('E_BUNDLE_CORRUPT', `blob "${name}" has shape [${blob.shape}], expected [${expectedShape}]`);
  }
  const out = new Float32Array(blob.bytes.byteLength / 4);
  new Uint8Array(out.buffer).set(blob.bytes);
  return out;
}

/** Validates manifest.json text; refuses other formats and versions with a message naming both. */
export function parseManifest(text: string, source = MANIFEST_FILE): BundleManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new LatentkitError('E_BUNDLE_CORRUPT', `${source} is not valid JSON (${(e as Error).message})`);
  }
  const bad = (why: string) => new LatentkitError('E_BUNDLE_CORRUPT', `${source}: ${why}`);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw bad('expected a JSON object');
  const m = raw as Record<string, unknown>;
  if (m.format !== BUNDLE_FORMAT) throw bad(`not a latentkit bundle (format is ${JSON.stringify(m.format)})`);
  if (m.formatVersion !== BUNDLE_FORMAT_VERSION) {
    throw new LatentkitError(
      'E_BUNDLE_VERSION',
      `${source}: bundle format version ${JSON.stringify(m.formatVersion)} is not supported (this latentkit reads version ${BUNDLE_FORMAT_VERSION})`,
    );
  }
  if (typeof m.kind !== 'string' || m.kind === '') throw bad('missing "kind"');
  if (typeof m.specVersion !== 'number') throw bad('missing "specVersion"');
  if (!isIntArray(m.inputShape)) throw bad('"inputShape" must be a list of positive integers');
  if (typeof m.latentDim !== 'number' || !Number.isInteger(m.latentDim) || m.latentDim < 1) throw bad('"latentDim" must be a positive integer');
  if (!isRecord(m.blobs)) throw bad('missing "blobs"');
  for (const [name, info] of Object.entries(m.blobs)) {
    if (!BLOB_NAME.test(name)) throw bad(`invalid blob name ${JSON.stringify(name)}`);
    if (!isRecord(info)) throw bad(`blob "${name}" is not an object`);
    if (info.file !== `${name}.bin`) throw bad(`blob "${name}" must be stored as ${name}.bin`);
    if (info.dtype !== 'float32' && info.dtype !== 'int32' && info.dtype !== 'uint8') throw bad(`blob "${name}" has unknown dtype ${JSON.stringify(info.dtype)}`);
    if (!isIntArray(info.shape, true)) throw bad(`blob "${name}" has an invalid shape`);
    if (typeof info.byteLength !== 'number' || typeof info.crc32 !== 'number') throw bad(`blob "${name}" lacks byteLength or crc32`);
    const expected = (info.shape as number[]).reduce((a, b) => a * b, 1) * bytesPerElement(info.dtype);
    if (expected !== info.byteLength) throw bad(`blob "${name}" byteLength ${info.byteLength} disagrees with shape [${info.shape}]`);
  }
  return {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    kind: m.kind,
    specVersion: m.specVersion,
    ...(isPackageRef(m.plugin) ? { plugin: { name: m.plugin.name, version: m.plugin.version } } : {}),
    options: isRecord(m.options) ? (m.options as Record<string, JsonValue>) : {},
    inputShape: m.inputShape as number[],
    latentDim: m.latentDim,
    seed: typeof m.seed === 'number' ? m.seed : null,
    metrics: isRecord(m.metrics) ? (m.metrics as Record<string, JsonValue>) : {},
    createdAt: typeof m.createdAt === 'string' ? m.createdAt : '',
    blobs: m.blobs as Record<string, BlobInfo>,
    extra: isRecord(m.extra) ? (m.extra as Record<string, JsonValue>) : {},
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isPackageRef(v: unknown): v is { name: string; version: string } {
  return isRecord(v) && typeof v.name === 'string' && /^(@[a-z0-9._~-]+\/)?[a-z0-9._~-]+$/i.test(v.name) && typeof v.version === 'string' && v.version.length < 100;
}

function isIntArray(v: unknown, allowEmpty = false): boolean {
  return Array.isArray(v) && (allowEmpty || v.length > 0) && v.every((n) => Number.isInteger(n) && n > 0);
}

/** Reads one file of a bundle (relative name) as bytes; throws if it is missing. */
export type BundleFileReader = (file: string) => Promise<Uint8Array>;

/** Loads and verifies a bundle: manifest version, every blob present, of the right length and checksum. */
export async function readBundle(readFile: BundleFileReader, source = 'bundle'): Promise<ModelBundle> {
  let manifestBytes: Uint8Array;
  try {
    manifestBytes = await readFile(MANIFEST_FILE);
  } catch (e) {
    throw new LatentkitError('E_BUNDLE_CORRUPT', `${source}: cannot read ${MANIFEST_FILE} (${(e as Error).message})`, { cause: e });
  }
  const manifest = parseManifest(new TextDecoder().decode(manifestBytes), `${source}/${MANIFEST_FILE}`);
  const blobs = new Map<string, BundleBlob>();
  for (const [name, info] of Object.entries(manifest.blobs)) {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(info.file);
    } catch (e) {
      throw new LatentkitError('E_BUNDLE_CORRUPT', `${source}: weights file ${info.file} is missing or unreadable`, { cause: e });
    }
    if (bytes.byteLength !== info.byteLength) {
      throw new LatentkitError('E_BUNDLE_CORRUPT', `${source}: ${info.file} has ${bytes.byteLength} bytes, expected ${info.byteLength} (truncated?)`);
    }
    if (crc32(bytes) !== info.crc32) throw new LatentkitError('E_BUNDLE_CORRUPT', `${source}: ${info.file} is corrupt (checksum mismatch)`);
    blobs.set(name, { dtype: info.dtype, shape: info.shape, bytes });
  }
  return { manifest, blobs };
}

/** The files of a bundle folder: manifest.json (pretty JSON) and one .bin per blob. */
export function bundleFiles(bundle: ModelBundle): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  files.set(MANIFEST_FILE, new TextEncoder().encode(JSON.stringify(bundle.manifest, null, 2) + '\n'));
  for (const [name, blob] of bundle.blobs) files.set(bundle.manifest.blobs[name]!.file, blob.bytes);
  return files;
}

/** Loads a bundle served over HTTP (browser or Node 20+), e.g. fetchBundle('/runs/demo/pca/'). */
export function fetchBundle(baseUrl: string, fetchImpl: typeof fetch = fetch): Promise<ModelBundle> {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return readBundle(async (file) => {
    const res = await fetchImpl(base + file);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  }, baseUrl);
}
