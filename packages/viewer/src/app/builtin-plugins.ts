import { ReducerRegistry } from '@latentkit/core';
import { pcaPlugin } from '@latentkit/pca';
import { denseAePlugin } from '@latentkit/dense-ae';
import { convAePlugin } from '@latentkit/conv-ae';

/** The reducers the viewer can load and train: the same plugins the CLI uses. */
export function buildRegistry(): ReducerRegistry {
  return new ReducerRegistry()
    .register(pcaPlugin, '@latentkit/pca')
    .register(denseAePlugin, '@latentkit/dense-ae')
    .register(convAePlugin, '@latentkit/conv-ae');
}
