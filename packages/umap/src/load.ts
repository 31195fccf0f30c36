import { LatentkitError, readFloat32Blob, type ModelBundle } from '@latentkit/core';
import { umapOptions } from './options.js';
import { UMAP_PACKAGE } from './package-info.js';
import { UMAP_KIND, UmapModel } from './umap-model.js';

/** Rebuilds a fitted UMAP from its bundle: the training rows, their layout, options, seed and curve. */
export async function loadUmap(bundle: ModelBundle): Promise<UmapModel> {
  const m = bundle.manifest;
  const corrupt = (why: string) => new LatentkitError('E_BUNDLE_CORRUPT', `umap bundle: ${why}`);
  if (m.kind !== UMAP_KIND) throw corrupt(`it holds a "${m.kind}" model`);
  const parsed = umapOptions.safeParse(m.options);
  if (!parsed.success) throw corrupt(`invalid options (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`);
  const options = parsed.data;
  const D = m.inputShape.reduce((p, s) => p * s, 1);
  const d = m.latentDim;
  const training = bundle.blobs.get('training');
  const n = training?.shape[0] ?? 0;
  if (!Number.isInteger(D) || D < 1 || !Number.isInteger(d) || d < 1 || d >= D) throw corrupt(`latentDim ${d} does not fit input shape [${m.inputShape}]`);
  if (n <= options.nNeighbors) throw corrupt(`${n} training rows, need more than nNeighbors (${options.nNeighbors})`);
  const { a, b } = m.extra;
  if (typeof a !== 'number' || typeof b !== 'number' || !(a > 0) || !(b > 0)) throw corrupt('missing the layout curve parameters a and b');
  if (typeof m.seed !== 'number') throw corrupt('missing its seed');
  return new UmapModel({
    options,
    inputShape: m.inputShape,
    training: readFloat32Blob(bundle, 'training', [n, D]),
    embedding: readFloat32Blob(bundle, 'embedding', [n, d]),
    rows: n,
    latentDim: d,
    seed: m.seed,
    a,
    b,
    package: m.plugin ?? UMAP_PACKAGE,
  });
}
