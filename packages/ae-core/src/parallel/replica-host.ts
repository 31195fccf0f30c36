// The replica side of data-parallel training, independent of how messages travel: Node's worker threads
// (node/gradient-worker.ts) and the browser's Web Workers (browser-workers.ts) both run it over a port.
import * as tf from '@tensorflow/tfjs';
import { ParamStore } from '../network.js';
import { trainingObjective, type AutoencoderDefinition } from '../reducer.js';
import type { TrainableModel } from '../train.js';
import type { ReplicaInit, ReplicaMessage, ReplicaSource, ShardRequest } from './replica.js';
import { shardGradients } from './shard-step.js';

/** Where a replica answers and hears its step requests. */
export interface ReplicaPort {
  post(message: ReplicaMessage, transfer?: ArrayBuffer[]): void;
  onRequest(listener: (request: ShardRequest) => void): void;
}

/** How this runtime gets a replica ready: the tfjs backend, and the definition the source names. */
export interface ReplicaRuntime {
  prepareBackend(backend: 'wasm' | 'cpu'): Promise<unknown>;
  loadDefinition(source: ReplicaSource): Promise<AutoencoderDefinition>;
}

/** The definition exported as `source.exportName` by an imported module, or one line saying it is not there. */
export function definitionFrom(mod: Readonly<Record<string, unknown>>, source: ReplicaSource): AutoencoderDefinition {
  const def = mod[source.exportName] as AutoencoderDefinition | undefined;
  if (!def || typeof def.build !== 'function') throw new Error(`${source.module} has no autoencoder definition "${source.exportName}"`);
  return def;
}

/** Rebuilds the model being trained (zero weights: every request brings the current ones). */
export async function buildReplica(init: ReplicaInit, runtime: ReplicaRuntime): Promise<TrainableModel> {
  const { source, layout } = init;
  await runtime.prepareBackend(source.backend ?? 'wasm');
  const def = await runtime.loadDefinition(source);
  // The options were validated by the fitting thread and arrive as the same plain object.
  const context = source.context as Parameters<AutoencoderDefinition['build']>[0];
  const architecture = def.build(context);
  const names = architecture.params.map((p) => p.name);
  if (names.join(',') !== layout.names.join(',')) throw new Error(`the rebuilt ${source.context.kind} has weights ${names.join(',')}, the model being trained ${layout.names.join(',')}`);
  const zeros = new Map(architecture.params.map((p) => [p.name, new Float32Array(p.shape.reduce((a, b) => a * b, 1))]));
  return trainingObjective(def, architecture, ParamStore.fromValues(architecture.params, zeros), context);
}

/** Loads a request's weights into the replica and answers with its shard's loss, gradients and state. */
function answer(model: TrainableModel, request: ShardRequest, port: ReplicaPort): void {
  const store = model.store;
  let offset = 0;
  for (const spec of store.specs) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const values = request.weights.subarray(offset, offset + size);
    tf.tidy(() => store.vars[spec.name]!.assign(tf.tensor(values, [...spec.shape], 'float32')));
    offset += size;
  }
  const cols = request.rows > 0 ? request.x.length / request.rows : 0;
  const result = shardGradients(model, store.trainable, request.x, request.rows, cols, request.seed);
  port.post({ type: 'result', id: request.id, ...result }, [result.grads.buffer as ArrayBuffer, ...result.state.map(([, v]) => v.buffer as ArrayBuffer)]);
}

/**
 * Runs one replica: builds the model, says 'ready', then answers every step request. A model that cannot
 * be built is one 'error' message (no id); a failed step is an 'error' with the step's id.
 */
export async function serveReplica(init: ReplicaInit, port: ReplicaPort, runtime: ReplicaRuntime): Promise<void> {
  let model: TrainableModel;
  try {
    model = await buildReplica(init, runtime);
  } catch (e) {
    port.post({ type: 'error', message: (e as Error)?.message ?? String(e) });
    return;
  }
  port.onRequest((request) => {
    try {
      answer(model, request, port);
    } catch (e) {
      port.post({ type: 'error', id: request.id, message: (e as Error).message });
    }
  });
  port.post({ type: 'ready' });
}
