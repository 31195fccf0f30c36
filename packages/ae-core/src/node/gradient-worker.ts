// A data-parallel replica (Node worker thread): rebuilds the model from its ReplicaSource, then for each
// request loads the weights it is sent and answers with its shard's loss and gradients. Never imported:
// the pool starts it by URL.
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { setupBackend } from '../backend.js';
import { ParamStore } from '../network.js';
import { trainingObjective, type AutoencoderDefinition } from '../reducer.js';
import type { TrainableModel } from '../train.js';
import { builtModule, type ReplicaInit, type ReplicaMessage, type ShardRequest } from '../parallel/replica.js';
import { shardGradients } from '../parallel/shard-step.js';

const port = parentPort!;
const send = (message: ReplicaMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

async function build(init: ReplicaInit): Promise<TrainableModel> {
  const { source, layout } = init;
  await setupBackend(source.backend ?? 'wasm');
  const mod = (await import(builtModule(source.module))) as Record<string, unknown>;
  const def = mod[source.exportName] as AutoencoderDefinition | undefined;
  if (!def || typeof def.build !== 'function') throw new Error(`${source.module} has no autoencoder definition "${source.exportName}"`);
  // The options were validated by the fitting thread and arrive as the same plain object.
  const context = source.context as Parameters<AutoencoderDefinition['build']>[0];
  const architecture = def.build(context);
  const names = architecture.params.map((p) => p.name);
  if (names.join(',') !== layout.names.join(',')) throw new Error(`the rebuilt ${source.context.kind} has weights ${names.join(',')}, the model being trained ${layout.names.join(',')}`);
  const zeros = new Map(architecture.params.map((p) => [p.name, new Float32Array(p.shape.reduce((a, b) => a * b, 1))]));
  return trainingObjective(def, architecture, ParamStore.fromValues(architecture.params, zeros), context);
}

const init = workerData as ReplicaInit;
build(init).then(
  (model) => {
    const store = model.store;
    const trainable = store.trainable;
    send({ type: 'ready' });
    port.on('message', (request: ShardRequest) => {
      try {
        let offset = 0;
        for (const spec of store.specs) {
          const size = spec.shape.reduce((a, b) => a * b, 1);
          const values = request.weights.subarray(offset, offset + size);
          tf.tidy(() => store.vars[spec.name]!.assign(tf.tensor(values, [...spec.shape], 'float32')));
          offset += size;
        }
        const cols = request.rows > 0 ? request.x.length / request.rows : 0;
        const result = shardGradients(model, trainable, request.x, request.rows, cols, request.seed);
        send({ type: 'result', id: request.id, ...result }, [result.grads.buffer as ArrayBuffer, ...result.state.map(([, v]) => v.buffer as ArrayBuffer)]);
      } catch (e) {
        send({ type: 'error', id: request.id, message: (e as Error).message });
      }
    });
  },
  (e: unknown) => send({ type: 'error', message: (e as Error)?.message ?? String(e) }),
);
