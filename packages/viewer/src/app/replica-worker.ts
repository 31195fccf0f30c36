/// <reference lib="webworker" />
// One data-parallel replica, started by the training worker (a nested Web Worker): rebuilds the model being
// fitted on its own tfjs wasm backend and answers each step with its shard's gradients (ae-core's protocol).
import { definitionFrom, serveBrowserReplica, setupBackend } from '@latentkit/ae-core';
import { convAeDefinition } from '@latentkit/conv-ae';
import { denseAeDefinition } from '@latentkit/dense-ae';
import { vaeDefinition } from '@latentkit/vae';
import type { PluginModule } from './plugin-list.js';
import { prepareWasmBackend } from './tf-backend.js';
import { importWithMap, type ResolvedImportMap } from './worker-import.js';

/** What the training worker sends each replica besides the model: how to load third-party plugins. */
export interface ReplicaExtra {
  readonly plugins: readonly PluginModule[];
  readonly importMap: ResolvedImportMap;
}

/**
 * The bundled reducers' definitions by export name. Their `import.meta.url` names the bundle's chunk, where
 * the definitions are not exports, so they are found here instead.
 */
const BUNDLED: Readonly<Record<string, unknown>> = { convAeDefinition, denseAeDefinition, vaeDefinition };

serveBrowserReplica(self as unknown as DedicatedWorkerGlobalScope, (extra: ReplicaExtra) => ({
  prepareBackend: (backend) => (backend === 'wasm' ? prepareWasmBackend() : setupBackend(backend)),
  async loadDefinition(source) {
    if (Object.hasOwn(BUNDLED, source.exportName)) return definitionFrom(BUNDLED, source);
    // A third-party plugin was loaded from a blob: URL (since revoked): look for the export in its module.
    for (const plugin of extra.plugins) {
      const mod = await importWithMap(plugin.url, extra.importMap);
      if (source.exportName in mod) return definitionFrom(mod, source);
    }
    return definitionFrom({}, source);
  },
}));
