import type { ModelBundle } from './bundle.js';
import { LatentkitError } from './errors.js';
import { assertReducerPlugin, type CreateReducerOptions, type ReducerPlugin } from './plugin.js';
import type { Reducer } from './reducer.js';

/** Reducer plugins by kind. Apps build one, register what they compose, and look reducers up by name. */
export class ReducerRegistry {
  readonly #plugins = new Map<string, ReducerPlugin>();

  register(plugin: unknown, source?: string): this {
    const p = assertReducerPlugin(plugin, source);
    const existing = this.#plugins.get(p.kind);
    if (existing && existing !== p) throw new LatentkitError('E_PLUGIN', `a reducer named "${p.kind}" is already registered`);
    this.#plugins.set(p.kind, p);
    return this;
  }

  has(kind: string): boolean {
    return this.#plugins.has(kind);
  }

  get(kind: string): ReducerPlugin {
    const p = this.#plugins.get(kind);
    if (!p) {
      throw new LatentkitError('E_UNKNOWN_REDUCER', `unknown reducer "${kind}" (available: ${this.kinds().join(', ') || 'none'})`);
    }
    return p;
  }

  kinds(): string[] {
    return [...this.#plugins.keys()].sort();
  }

  list(): ReducerPlugin[] {
    return this.kinds().map((k) => this.#plugins.get(k)!);
  }

  create(kind: string, options: CreateReducerOptions): Reducer {
    return this.get(kind).create(options);
  }

  /** Loads a bundle with the plugin named in its manifest. */
  load(bundle: ModelBundle): Promise<Reducer> {
    return this.get(bundle.manifest.kind).load(bundle);
  }
}
