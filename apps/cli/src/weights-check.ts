import { join } from 'node:path';
import { LatentkitError, type ModelBundle } from '@latentkit/core';

/**
 * Refuses a bundle whose float32 weights hold NaN or ±Inf, naming the file: every output of such a model
 * would be NaN, and the first check to notice it would blame the wrong thing (e.g. "decode input").
 * The checksums pass for such a file when it was written that way, so this is checked separately.
 */
export function assertFiniteWeights(bundle: ModelBundle, dir: string): void {
  for (const [name, blob] of bundle.blobs) {
    if (blob.dtype !== 'float32') continue;
    // A view over the bytes (copied first when they are not 4-byte aligned).
    const bytes = blob.bytes.byteOffset % 4 === 0 ? blob.bytes : blob.bytes.slice();
    const values = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i]!)) {
        const file = bundle.manifest.blobs[name]?.file ?? `${name}.bin`;
        throw new LatentkitError('E_BUNDLE_CORRUPT', `${join(dir, file)} holds ${values[i]} at element ${i} of weights "${name}": the model file is damaged (refit the model)`);
      }
    }
  }
}
