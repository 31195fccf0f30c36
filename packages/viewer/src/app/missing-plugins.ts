import { MANIFEST_FILE, parseManifest, type BundleManifest, type ReducerRegistry } from '@latentkit/core';
import type { RunModelData } from '@latentkit/run';

/**
 * One line for each model whose reducer the viewer has not loaded, naming the package to install. The
 * words are the registry's (from the bundle manifest's `plugin` field), so the CLI and the viewer agree;
 * when the manifest cannot be read, run.json's record of the plugin is used.
 */
export async function missingPluginNotices(
  models: readonly RunModelData[],
  registry: ReducerRegistry,
  modelUrl: (model: RunModelData) => string,
  fetchImpl: typeof fetch = (i, init) => fetch(i, init),
): Promise<string[]> {
  const missing = models.filter((m) => !registry.has(m.info.kind));
  return Promise.all(
    missing.map(async (model) => {
      const label = `${model.info.displayName} (${model.info.dir})`;
      const recorded = model.info.plugin ? { plugin: model.info.plugin } : {};
      const manifest = (await fetchManifest(new URL(MANIFEST_FILE, modelUrl(model)).href, fetchImpl)) ?? ({ kind: model.info.kind, ...recorded } as BundleManifest);
      try {
        registry.pluginFor(manifest);
        return `${label}: reducer "${model.info.kind}" is not loaded`;
      } catch (e) {
        return `${label}: ${e instanceof Error ? e.message : String(e)}`;
      }
    }),
  );
}

async function fetchManifest(url: string, fetchImpl: typeof fetch): Promise<BundleManifest | undefined> {
  try {
    const res = await fetchImpl(url);
    return res.ok ? parseManifest(await res.text(), url) : undefined;
  } catch {
    return undefined;
  }
}
