import { LatentkitError, type ModelBundle, readFloat32Blob } from '@latentkit/core';
import { pcaOptions } from './options.js';
import { PCA_PACKAGE } from './package-info.js';
import { Pca } from './pca.js';

/** Reducer spec versions whose PCA bundles this version reads: the bundle layout is the same in both. */
export const READABLE_SPEC_VERSIONS: readonly number[] = [1, 2];

/** Restores a saved model; a foreign or damaged bundle throws E_BUNDLE_CORRUPT (E_BUNDLE_VERSION for another spec). */
export async function loadPca(bundle: ModelBundle): Promise<Pca> {
  const m = bundle.manifest;
  const corrupt = (why: string) => new LatentkitError('E_BUNDLE_CORRUPT', `pca bundle: ${why}`);
  if (m.kind !== 'pca') throw new LatentkitError('E_BUNDLE_CORRUPT', `bundle holds a "${m.kind}" model, not "pca"`);
  if (!READABLE_SPEC_VERSIONS.includes(m.specVersion)) {
    throw new LatentkitError('E_BUNDLE_VERSION', `pca bundle was written for reducer spec ${m.specVersion}; this version reads ${READABLE_SPEC_VERSIONS.join(' and ')}`);
  }
  const { latentDim: requested, ...saved } = m.options;
  const parsed = pcaOptions.safeParse(saved);
  if (!parsed.success) throw corrupt(`options do not validate (${parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ')})`);
  const D = m.inputShape.reduce((a, b) => a * b, 1);
  const k = m.latentDim;
  const { totalVariance, noiseVariance, solver } = m.extra;
  if (typeof totalVariance !== 'number' || !(totalVariance >= 0)) throw corrupt('it lacks a valid extra.totalVariance');
  return new Pca({
    mean: readFloat32Blob(bundle, 'mean', [D]),
    components: readFloat32Blob(bundle, 'components', [k, D]),
    explainedVariance: readFloat32Blob(bundle, 'explainedVariance', [k]),
    k,
    D,
    totalVariance,
    noiseVariance: typeof noiseVariance === 'number' ? noiseVariance : 0,
    inputShape: m.inputShape,
    solver: solver === 'randomized' ? 'randomized' : 'exact',
    seed: m.seed,
    options: parsed.data,
    requestedLatentDim: typeof requested === 'number' ? requested : k,
    package: PCA_PACKAGE,
  });
}
