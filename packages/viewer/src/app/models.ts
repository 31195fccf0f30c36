import { decodeWith, fetchBundle, type Matrix, type Reducer, type ReducerRegistry } from '@latentkit/core';
import type { RunModelData } from '@latentkit/run';
import { modelUrl, type ViewerRun } from './view-run.js';

/**
 * Loads each model of the run once (bundle over HTTP, then the registry) and shares it between panels. The
 * registry — built-in plugins, third-party ones and tfjs — arrives after the scatter has drawn.
 */
export class ModelCache {
  readonly #loaded = new Map<string, Promise<Reducer>>();
  readonly #run: ViewerRun;
  readonly #registry: Promise<ReducerRegistry>;

  constructor(run: ViewerRun, registry: Promise<ReducerRegistry>) {
    this.#run = run;
    this.#registry = registry;
  }

  get(model: RunModelData): Promise<Reducer> {
    let p = this.#loaded.get(model.info.dir);
    if (!p) {
      p = (async () => {
        const [registry, bundle, backend] = await Promise.all([this.#registry, fetchBundle(modelUrl(this.#run, model)), import('./tf-backend.js')]);
        // Any plugin may compute with tfjs: the wasm backend is set up before a model loads.
        await backend.prepareWasmBackend();
        return registry.load(bundle);
      })();
      // A failed load is not cached so the user can retry.
      p.catch(() => this.#loaded.delete(model.info.dir));
      this.#loaded.set(model.info.dir, p);
    }
    return p;
  }

  /** Decodes codes with the model: g(z), or E_UNSUPPORTED naming the model and what needed it. */
  async decode(model: RunModelData, codes: Matrix, need: string): Promise<Matrix> {
    return decodeWith(await this.get(model), codes, need);
  }
}
