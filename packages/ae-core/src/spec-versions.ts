import { LatentkitError } from '@latentkit/core';

/**
 * Reducer spec versions whose autoencoder bundles (and checkpoints) this version reads: spec 2 changed the
 * plugin contract, not the bundle layout, so bundles of the previous release (spec 1) load as they are.
 */
export const READABLE_SPEC_VERSIONS: readonly number[] = [1, 2];

/** Refuses a bundle of another spec version with E_BUNDLE_VERSION naming both. */
export function assertReadableSpecVersion(kind: string, specVersion: number, what = 'bundle'): void {
  if (!READABLE_SPEC_VERSIONS.includes(specVersion)) {
    throw new LatentkitError('E_BUNDLE_VERSION', `${kind} ${what} was written for reducer spec ${specVersion}; this version reads ${READABLE_SPEC_VERSIONS.join(' and ')}`);
  }
}
