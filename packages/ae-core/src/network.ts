import * as tf from '@tensorflow/tfjs';
import { LatentkitError, type Matrix, type Rng } from '@latentkit/core';
import { initialValues, type InitKind } from './init.js';

/** One named weight of an architecture. Names become bundle blob names, so keep them to [A-Za-z0-9_.-]. */
export interface ParamSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly init: InitKind;
  /** Fans for the initialiser when the shape alone misleads (e.g. transposed-conv filters). */
  readonly fans?: { readonly fanIn: number; readonly fanOut: number };
  /** false for state that training updates outside the gradient step (e.g. batch-norm running statistics). */
  readonly trainable?: boolean;
  /**
   * A starting value computed from the training rows (e.g. a sigmoid output's bias at the logit of the mean
   * pixel), set by the training loop before the first step of a fresh fit and of every retry; see data-init.ts.
   */
  readonly fromData?: (x: Matrix, rows: Int32Array) => Float32Array;
}

/** Passed to every forward pass. In training mode layers may report new state (running statistics). */
export interface ForwardContext {
  readonly training: boolean;
  /**
   * A seed for this forward pass's randomness (corruption noise, a VAE's ε): set by the training loop,
   * different for every step (and shard), absent at inference, where objectives must be deterministic.
   */
  readonly seed?: number;
  /** Records the next value of a non-trainable param; applied after the gradient step. */
  setState(name: string, value: tf.Tensor): void;
}

export type Params = Readonly<Record<string, tf.Variable>>;

/**
 * An encoder fθ and decoder gψ over flat rows: x is [n, D] with D = product of the input shape, z is
 * [n, d]. Builders reshape internally (e.g. to NHWC for convolutions).
 */
export interface Architecture {
  readonly params: readonly ParamSpec[];
  /**
   * Multiply-adds ×2 of one row's forward pass (encode + decode), when the builder knows them: training then
   * splits a batch over worker threads only where each shard has enough work per weight (parallel/useful-workers.ts).
   */
  readonly flopsPerRow?: number;
  encode(p: Params, x: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D;
  decode(p: Params, z: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D;
}

/** The forward context for inference: no state changes. */
export const INFERENCE: ForwardContext = {
  training: false,
  setState: () => {
    throw new LatentkitError('E_OPTION', 'layers must not update state outside training');
  },
};

/** Weights as JS arrays by name: snapshots for early stopping and divergence recovery, and bundle I/O. */
export type WeightValues = ReadonlyMap<string, Float32Array>;

/** The tf.Variables of an architecture, created from seeded initialisers or from saved values. */
export class ParamStore {
  readonly specs: readonly ParamSpec[];
  readonly vars: Params;
  #disposed = false;

  private constructor(specs: readonly ParamSpec[], vars: Record<string, tf.Variable>) {
    this.specs = specs;
    this.vars = vars;
  }

  static initialise(specs: readonly ParamSpec[], rng: Rng): ParamStore {
    return ParamStore.fromValues(specs, new Map(specs.map((s) => [s.name, initialValues(s.init, s.shape, rng, s.fans)])));
  }

  /** Values must match every spec's size; callers check shapes and name the weight first. */
  static fromValues(specs: readonly ParamSpec[], values: WeightValues): ParamStore {
    const vars: Record<string, tf.Variable> = {};
    const seen = new Set<string>();
    for (const s of specs) {
      if (seen.has(s.name)) throw new LatentkitError('E_OPTION', `architecture declares weight "${s.name}" twice`);
      seen.add(s.name);
      const v = values.get(s.name);
      if (!v) throw new LatentkitError('E_BUNDLE_CORRUPT', `weight "${s.name}" is missing`);
      vars[s.name] = tf.tidy(() => tf.variable(tf.tensor(v, [...s.shape], 'float32'), s.trainable !== false, `${s.name}_${uniqueSuffix()}`));
    }
    return new ParamStore(specs, vars);
  }

  get trainable(): tf.Variable[] {
    return this.specs.filter((s) => s.trainable !== false).map((s) => this.vars[s.name]!);
  }

  get parameterCount(): number {
    return this.specs.filter((s) => s.trainable !== false).reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
  }

  /** A copy of every weight's values (read synchronously; the store keeps training). */
  snapshot(): WeightValues {
    const out = new Map<string, Float32Array>();
    // Copy: the cpu backend's dataSync hands out its own backing array.
    for (const s of this.specs) out.set(s.name, Float32Array.from(this.vars[s.name]!.dataSync() as Float32Array));
    return out;
  }

  restore(values: WeightValues): void {
    for (const s of this.specs) {
      const v = values.get(s.name)!;
      tf.tidy(() => this.vars[s.name]!.assign(tf.tensor(v, [...s.shape], 'float32')));
    }
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const v of Object.values(this.vars)) v.dispose();
  }
}

// tfjs variable names must be unique per engine; several models may share a name scheme.
let counter = 0;
function uniqueSuffix(): number {
  return counter++;
}
