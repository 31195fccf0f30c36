import { convAePlugin } from '@latentkit/conv-ae';
import { denseAePlugin } from '@latentkit/dense-ae';
import { pcaPlugin } from '@latentkit/pca';
import { umapPlugin } from '@latentkit/umap';
import { vaePlugin } from '@latentkit/vae';

/** The reducers the viewer bundles (the same plugins the CLI ships with), with the package each comes from. */
export const BUILTIN_PLUGINS: readonly { readonly plugin: unknown; readonly packageName: string }[] = [
  { plugin: pcaPlugin, packageName: '@latentkit/pca' },
  { plugin: denseAePlugin, packageName: '@latentkit/dense-ae' },
  { plugin: convAePlugin, packageName: '@latentkit/conv-ae' },
  { plugin: umapPlugin, packageName: '@latentkit/umap' },
  { plugin: vaePlugin, packageName: '@latentkit/vae' },
];
