import { hasCapability, type Dataset, type FitOutcome, type Matrix, type ReducerPlugin, type ReducerSettings } from '@latentkit/core';
import { fail } from './assertions.js';
import type { ResolvedConformance } from './settings.js';

/**
 * What the checks share: the plugin, the resolved settings and data, and one fitted model (made on first
 * use) for the checks that only read it. A check that changes or breaks a model fits its own.
 */
export class ConformanceContext {
  #shared: Promise<FitOutcome> | undefined;

  constructor(
    readonly plugin: ReducerPlugin,
    /** The candidate as given (before any v1 adaptation), for registries. */
    readonly candidate: unknown,
    private readonly resolved: ResolvedConformance,
  ) {}

  get data(): Dataset {
    return this.resolved.dataset;
  }
  get x(): Matrix {
    return this.resolved.dataset.x;
  }
  get seed(): number {
    return this.resolved.seed;
  }
  get batchTolerance(): number {
    return this.resolved.batchTolerance;
  }
  get streamTolerance(): number | undefined {
    return this.resolved.streamTolerance;
  }

  settings(): Promise<ReducerSettings> {
    return Promise.resolve(this.resolved.settings);
  }

  async latentDim(): Promise<number> {
    return (await this.settings()).latentDim;
  }

  /** Fits with the suite's settings (or d overridden), seeded; the caller owns the model. */
  async fit(data: Dataset = this.data, over: { latentDim?: number; signal?: AbortSignal } = {}): Promise<FitOutcome> {
    const settings = await this.settings();
    return this.plugin.fit(data, { ...settings, latentDim: over.latentDim ?? settings.latentDim }, { seed: this.seed, ...(over.signal ? { signal: over.signal } : {}) });
  }

  /** The model the read-only checks share, fitted once. */
  shared(): Promise<FitOutcome> {
    this.#shared ??= this.fit();
    return this.#shared;
  }

  /** Hands the shared model to the caller (who disposes it); the next shared() fits a new one. */
  takeShared(): Promise<FitOutcome> {
    const outcome = this.shared();
    this.#shared = undefined;
    return outcome;
  }

  /** Fits a model for one check and disposes it afterwards, whatever happens. */
  async withFresh<T>(fn: (outcome: FitOutcome) => Promise<T>, data?: Dataset): Promise<T> {
    const outcome = await this.fit(data);
    try {
      return await fn(outcome);
    } finally {
      outcome.model?.dispose?.();
    }
  }

  /**
   * Codes of the fitted rows: encode(x) when the reducer encodes, else the embedding fit returned. Taken
   * as they are: their shape is the encode and fit-transform checks' business, so a bad one fails there.
   */
  async codesOf(outcome: FitOutcome): Promise<Matrix> {
    if (hasCapability(this.plugin, 'encode')) return outcome.model.encode!(this.x);
    if (!outcome.embedding) fail('fit returned no embedding, which a fit-transform reducer must');
    return outcome.embedding;
  }

  /** Disposes the shared model if one is held (suite teardown). */
  async release(): Promise<void> {
    const shared = this.#shared;
    this.#shared = undefined;
    if (!shared) return;
    try {
      (await shared).model?.dispose?.();
    } catch {
      // A fit that failed left nothing to free; a dispose that throws is the dispose check's business.
    }
  }
}
