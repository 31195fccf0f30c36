import type { ReducerPlugin } from '@latentkit/core';
import { convAePlugin } from '@latentkit/conv-ae';
import { denseAePlugin } from '@latentkit/dense-ae';
import { pcaPlugin } from '@latentkit/pca';

/** The reducers the CLI ships with; third-party ones come from plugins. */
export const builtinPlugins: readonly ReducerPlugin[] = [pcaPlugin, denseAePlugin, convAePlugin];
