import { float32Blob, LatentkitError, type BundleBlob, type ModelBundle } from '@latentkit/core';
import type { ParamSpec, ParamStore, WeightValues } from './network.js';

/** Every weight as a float32 bundle blob named after it. */
export function weightsToBlobs(store: ParamStore): Record<string, BundleBlob> {
  const values = store.snapshot();
  const blobs: Record<string, BundleBlob> = {};
  for (const s of store.specs) blobs[s.name] = float32Blob(values.get(s.name)!, s.shape);
  return blobs;
}

/**
 * Reads the weights an architecture declares from a bundle, bit for bit. A missing, extra, mistyped or
 * wrong-shaped weight throws E_BUNDLE_CORRUPT naming it (an extra one means another architecture).
 */
export function weightsFromBundle(bundle: ModelBundle, specs: readonly ParamSpec[]): WeightValues {
  const kind = bundle.manifest.kind;
  const bad = (why: string) => new LatentkitError('E_BUNDLE_CORRUPT', `${kind} bundle: ${why}`);
  const out = new Map<string, Float32Array>();
  for (const s of specs) {
    const blob = bundle.blobs.get(s.name);
    if (!blob) throw bad(`weight "${s.name}" is missing`);
    if (blob.dtype !== 'float32') throw bad(`weight "${s.name}" is ${blob.dtype}, expected float32`);
    if (blob.shape.length !== s.shape.length || blob.shape.some((d, i) => d !== s.shape[i])) {
      throw bad(`weight "${s.name}" has shape [${blob.shape.join(',')}], the architecture needs [${s.shape.join(',')}]`);
    }
    const count = s.shape.reduce((a, b) => a * b, 1);
    if (blob.bytes.byteLength !== count * 4) throw bad(`weight "${s.name}" has ${blob.bytes.byteLength} bytes, expected ${count * 4}`);
    const values = new Float32Array(count);
    new Uint8Array(values.buffer).set(blob.bytes);
    out.set(s.name, values);
  }
  const expected = new Set(specs.map((s) => s.name));
  for (const name of bundle.blobs.keys()) if (!expected.has(name)) throw bad(`unexpected weight "${name}" (the bundle was saved by another architecture)`);
  return out;
}
