import type { ReducerRegistry } from '@latentkit/core';
import type { LoadedData } from './context.js';
import { declaredKinds } from './plugins.js';

/** The explained-variance curve: the share of variance kept by each successive latent direction, and who gave it. */
export interface VarianceSpectrum {
  readonly kind: string;
  readonly ratios: number[];
}

/**
 * The curve behind the explained-variance chart, chosen by declaration, never by name. A plugin that accepts
 * a fractional latent dimension ("keep this share of the variance") promises that its directions are ordered
 * by the variance they explain, so its fit at d = min(100, D − 1) reports that spectrum as
 * `info.explainedVarianceRatio`. We ask the plugins that declare `fractionalLatentDim`, in declared order
 * (built-ins first), and take the first one that reports it; without one the chart has no curve.
 */
export async function varianceSpectrum(registry: ReducerRegistry, data: LoadedData, seed: number, signal?: AbortSignal): Promise<VarianceSpectrum | undefined> {
  const d = Math.min(100, data.train.x.cols - 1);
  if (d < 1) return undefined;
  for (const kind of declaredKinds(registry)) {
    const plugin = registry.get(kind);
    if (!plugin.fractionalLatentDim || (plugin.requiresImages && !data.train.imageShape)) continue;
    const { model, result } = await registry.fit(kind, data.train, await registry.settings(kind, d), { seed, ...(signal ? { signal } : {}) });
    model.dispose();
    const ratios = result.info?.explainedVarianceRatio;
    if (Array.isArray(ratios) && ratios.length > 0) return { kind, ratios: [...(ratios as number[])] };
  }
  return undefined;
}
