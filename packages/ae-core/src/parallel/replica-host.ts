// The replica side of data-parallel training and inference, independent of how messages travel: Node's worker threads
// (node/gradient-worker.ts) and the browser's Web Workers (browser-workers.ts) both run it over a port.
import * as tf from '@tensorflow/tfjs';
import { mapTensorBatches } from '../batched.js';
import { INFERENCE, ParamStore, type Architecture } from '../network.js';
import { trainingObjective, type AutoencoderDefinition } from '../reducer.js';
import type { TrainableModel } from '../train.js';
import type { ApplyRequest, ReplicaInit, ReplicaMessage, ReplicaRequest, ReplicaSource, ShardRequest } from './replica.js';
import { shardGradients } from './shard-step.js';

/** Where a replica answers and hears its step and inference requests. */
export interface ReplicaPort {
  post(message: ReplicaMessage, transfer?: ArrayBuffer[]): void;
  onRequest(listener: (request: ReplicaRequest) => void): void;
}

/** A rebuilt model: its training objective (for steps) and its architecture (for encode/decode requests). */
export interface Replica {
  readonly model: TrainableModel;
  readonly architecture: Architecture;
  /** Columns of an encoded row (d) and of a decoded one (D). */
  readonly cols: { readonly encode: number; readonly decode: number };
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

/** Rebuilds the model (zero weights: step requests and a pool's first inference request bring the current ones). */
export async function buildReplica(init: ReplicaInit, runtime: ReplicaRuntime): Promise<Replica> {
  const { source, layout } = init;
  await runtime.prepareBackend(source.backend ?? 'wasm');
  const def = await runtime.loadDefinition(source);
  // The options were validated by the fitting thread and arrive as the same plain object.
  const context = source.context as Parameters<AutoencoderDefinition['build']>[0];
  const architecture = def.build(context);
  const names = architecture.params.map((p) => p.name);
  if (names.join(',') !== layout.names.join(',')) throw new Error(`the rebuilt ${source.context.kind} has weights ${names.join(',')}, the model being trained ${layout.names.join(',')}`);
  const zeros = new Map(architecture.params.map((p) => [p.name, new Float32Array(p.shape.reduce((a, b) => a * b, 1))]));
  return {
    model: trainingObjective(def, architecture, ParamStore.fromValues(architecture.params, zeros), context),
    architecture,
    cols: { encode: context.latentDim, decode: context.inputShape.reduce((a, b) => a * b, 1) },
  };
}

/** Writes weights concatenated in spec order (FlatLayout) into the replica's variables. */
function loadWeights(store: ParamStore, weights: Float32Array): void {
  let offset = 0;
  for (const spec of store.specs) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const values = weights.subarray(offset, offset + size);
    tf.tidy(() => store.vars[spec.name]!.assign(tf.tensor(values, [...spec.shape], 'float32')));
    offset += size;
  }
}

/** Loads a request's weights into the replica and answers with its shard's loss, gradients and state. */
function answer(model: TrainableModel, request: ShardRequest, port: ReplicaPort): void {
  loadWeights(model.store, request.weights);
  const cols = request.rows > 0 ? request.x.length / request.rows : 0;
  const result = shardGradients(model, model.store.trainable, request.x, request.rows, cols, request.seed);
  port.post({ type: 'result', id: request.id, ...result }, [result.grads.buffer as ArrayBuffer, ...result.state.map(([, v]) => v.buffer as ArrayBuffer)]);
}

/**
 * Applies the encoder or decoder to a request's rows, batched as the calling thread batches (so each row
 * meets the same kernels in the same batch composition), with the weights last received.
 */
async function applyPart(replica: Replica, request: ApplyRequest, port: ReplicaPort): Promise<void> {
  const { model, architecture } = replica;
  if (request.weights) loadWeights(model.store, request.weights);
  const cols = request.rows > 0 ? request.x.length / request.rows : 0;
  const vars = model.store.vars;
  const part = request.part === 'encode' ? architecture.encode : architecture.decode;
  const out = await mapTensorBatches({ data: request.x, rows: request.rows, cols }, replica.cols[request.part], (b) => part(vars, b, INFERENCE));
  port.post({ type: 'output', id: request.id, y: out.data }, [out.data.buffer as ArrayBuffer]);
}

/**
 * Runs one replica: builds the model, says 'ready', then answers every step and inference request. A model
 * that cannot be built is one 'error' message (no id); a failed request is an 'error' with its id.
 */
export async function serveReplica(init: ReplicaInit, port: ReplicaPort, runtime: ReplicaRuntime): Promise<void> {
  let replica: Replica;
  try {
    replica = await buildReplica(init, runtime);
  } catch (e) {
    port.post({ type: 'error', message: (e as Error)?.message ?? String(e) });
    return;
  }
  const failed = (request: ReplicaRequest, e: unknown) => port.post({ type: 'error', id: request.id, message: (e as Error)?.message ?? String(e) });
  port.onRequest((request) => {
    try {
      if (request.type === 'apply') applyPart(replica, request, port).catch((e: unknown) => failed(request, e));
      else answer(replica.model, request, port);
    } catch (e) {
      failed(request, e);
    }
  });
  port.post({ type: 'ready' });
}
