import type { ReducerPlugin } from '@latentkit/core';
import { convAePlugin } from '@latentkit/conv-ae';
import { denseAePlugin } from '@latentkit/dense-ae';
import { pcaPlugin } from '@latentkit/pca';
import { umapPlugin } from '@latentkit/umap';
import { vaePlugin } from '@latentkit/vae';

/**
 * The reducers the CLI ships with, in declared order: the linear baseline first, then richer models; reducers
 * that only encode last. Commands that pick "the first" or "the last" by capability read this order: the demo
 * interpolates at d=8 with the last that encodes and decodes, the lecture's CNN, so the VAE comes before it.
 * Third-party reducers come from plugins.
 */
export const builtinPlugins: readonly ReducerPlugin[] = [pcaPlugin, denseAePlugin, vaePlugin, convAePlugin, umapPlugin];
