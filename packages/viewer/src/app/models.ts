import { fetchBundle, type Matrix, type Reducer, type ReducerRegistry } from '@latentkit/core';
import type { RunModelData } from './run-data.js';

/**
 * The reducer plugins and tfjs are loaded on first use (a separate chunk), so the scatter draws
 * without waiting for them to download and compile.
 */
let registry: Promise<ReducerRegistry> | undefined;

export function loadRegistry(): Promise<ReducerRegistry> {
  registry ??= import('./registry.js').then((m) => m.buildRegistry());
  return registry;
}

/** Loads each model of the run once (bundle over HTTP + registry) and shares it between panels. */
export class ModelCache {
  readonly #loaded = new Map<string, Promise<Reducer>>();

  get(model: RunModelData): Promise<Reducer> {
    let p = this.#loaded.get(model.info.dir);
    if (!p) {
      p = (async () => {
        const [reg, bundle, backend] = await Promise.all([loadRegistry(), fetchBundle(model.url), import('./tf-backend.js')]);
        await backend.prepareWasmBackend();
        return reg.load(bundle);
      })();
      // A failed load is not cached so the user can retry.
      p.catch(() => this.#loaded.delete(model.info.dir));
      this.#loaded.set(model.info.dir, p);
    }
    return p;
  }

  /** Decodes codes with the model: g(z). */
  async decode(model: RunModelData, codes: Matrix): Promise<Matrix> {
    return (await this.get(model)).decode(codes);
  }
}
