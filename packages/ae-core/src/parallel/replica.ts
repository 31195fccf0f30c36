import type { ArchitectureContext } from '../reducer.js';

/**
 * How a worker thread rebuilds the model being trained: the module that exports the autoencoder
 * definition (a URL such as the plugin's own `import.meta.url`, or a specifier any module can import),
 * the export's name, and the architecture context to build it with (structured-cloneable: plain options).
 * Replicas train `trainingObjective(definition, definition.build(context), …)`, as the fitting thread does.
 */
export interface ReplicaSource {
  readonly module: string;
  readonly exportName: string;
  readonly context: ArchitectureContext;
  /** The tfjs backend replicas run on (default wasm). */
  readonly backend?: 'wasm' | 'cpu';
}

/** Weights as they travel to replicas: every param, trainable or not, concatenated in spec order. */
export interface FlatLayout {
  readonly names: readonly string[];
  readonly sizes: readonly number[];
  readonly trainable: readonly boolean[];
}

/** One step's work for a replica: the current weights (concatenated per FlatLayout) and its rows. */
export interface ShardRequest {
  readonly type: 'step';
  readonly id: number;
  readonly weights: Float32Array;
  readonly x: Float32Array;
  readonly rows: number;
  /** The shard's seed for the objective's randomness (ForwardContext.seed). */
  readonly seed?: number;
}

/**
 * Inference on a replica: `part` (the encoder or the decoder) applied with the model's current weights to
 * `rows` rows of `x`, in the same INFERENCE_BATCH_SIZE batches as on the calling thread. `weights` come with
 * a replica's first request and whenever they change; requests without them use the last ones received.
 */
export interface ApplyRequest {
  readonly type: 'apply';
  readonly id: number;
  readonly part: 'encode' | 'decode';
  readonly weights?: Float32Array;
  readonly x: Float32Array;
  readonly rows: number;
}

/** Anything a replica is asked to do. */
export type ReplicaRequest = ShardRequest | ApplyRequest;

/** A replica's answer: its shard's mean loss, gradients of the trainable weights (concatenated), state updates. */
export interface ShardResult {
  readonly loss: number;
  readonly grads: Float32Array;
  /** New values of non-trainable weights (e.g. batch-norm running statistics) from this shard. */
  readonly state: ReadonlyArray<readonly [string, Float32Array]>;
}

export type ReplicaMessage =
  | { readonly type: 'ready' }
  | ({ readonly type: 'result'; readonly id: number } & ShardResult)
  | { readonly type: 'output'; readonly id: number; readonly y: Float32Array }
  | { readonly type: 'error'; readonly id?: number; readonly message: string };

export interface ReplicaInit {
  readonly source: ReplicaSource;
  readonly layout: FlatLayout;
}

/** A plugin's `import.meta.url` under a test runner names its .ts source; workers load the built file instead. */
export function builtModule(module: string): string {
  const m = /^(file:.*)\/src\/(.*)\.ts$/.exec(module);
  return m ? `${m[1]}/dist/${m[2]}.js` : module;
}
