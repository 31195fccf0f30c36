import { defineReducerPlugin, REDUCER_SPEC_VERSION, type ReducerPlugin } from '@latentkit/core';
import { fitUmap } from './fit.js';
import { loadUmap } from './load.js';
import { umapOptions, type UmapOptions } from './options.js';
import { UMAP_PACKAGE } from './package-info.js';
import { UMAP_KIND } from './umap-model.js';

/** UMAP as a spec v2 reducer plugin: encode only (new rows are placed into the fitted layout; no decode). */
export const umapPlugin: ReducerPlugin<UmapOptions> = defineReducerPlugin<UmapOptions>({
  specVersion: REDUCER_SPEC_VERSION,
  kind: UMAP_KIND,
  displayName: 'UMAP',
  description: 'Uniform manifold approximation and projection (umap-js, seeded): a nonlinear layout that keeps neighbourhoods; encodes new rows, cannot decode',
  package: UMAP_PACKAGE,
  capabilities: ['encode'],
  options: umapOptions,
  fit: fitUmap,
  load: loadUmap,
});
