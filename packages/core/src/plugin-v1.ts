import type { ModelBundle } from './bundle.js';
import type { Capability } from './capabilities.js';
import { schemaFromOptionSpecs } from './options.js';
import type { ReducerPlugin, ReducerPluginV1 } from './plugin.js';
import type { FitOptions, Reducer, ReducerV1 } from './reducer.js';
import type { Dataset } from './dataset.js';
import { LatentkitError } from './errors.js';

const V1_CAPABILITIES: readonly Capability[] = ['encode', 'decode'];

/**
 * Spec v1 plugins keep loading: create() + fit() become v2's fit(), and the mutated reducer is handed out
 * only once fitted. v1 reducers always encode and decode.
 */
export function adaptV1Plugin(v1: ReducerPluginV1, source: string): ReducerPlugin {
  return {
    specVersion: 2,
    kind: v1.kind,
    description: v1.description,
    ...(v1.displayName ? { displayName: v1.displayName } : {}),
    capabilities: V1_CAPABILITIES,
    options: schemaFromOptionSpecs(v1.kind, v1.options),
    ...(v1.requiresImages ? { requiresImages: true } : {}),
    fractionalLatentDim: true,
    adaptedFrom: { specVersion: 1, source },
    async fit(data: Dataset, settings, options?: FitOptions) {
      const reducer = v1.create({ ...(settings.options as Record<string, unknown>), latentDim: settings.latentDim });
      if (!reducer || typeof reducer !== 'object' || typeof reducer.fit !== 'function') {
        throw new LatentkitError('E_PLUGIN', `plugin "${v1.kind}" (${source}): create() returned ${reducer === null ? 'null' : typeof reducer === 'object' ? 'an object without fit()' : typeof reducer}, not a reducer`);
      }
      try {
        const result = await reducer.fit(data, options);
        return { model: fittedFromV1(reducer), result };
      } catch (e) {
        reducer.dispose?.();
        throw e;
      }
    },
    load: async (bundle: ModelBundle) => fittedFromV1(await v1.load(bundle)),
  } as ReducerPlugin;
}

function fittedFromV1(r: ReducerV1): Reducer {
  return {
    get kind() {
      return r.kind;
    },
    capabilities: V1_CAPABILITIES,
    get latentDim() {
      return r.latentDim;
    },
    get inputDim() {
      return r.inputDim ?? 0;
    },
    get inputShape() {
      return r.inputShape ?? [];
    },
    get parameterCount() {
      return r.parameterCount;
    },
    encode: (x) => r.encode(x),
    decode: (z) => r.decode(z),
    save: () => r.save(),
    dispose: () => r.dispose(),
  };
}
