// A data-parallel replica (Node worker thread): rebuilds the model from its ReplicaSource, then for each
// request loads the weights it is sent and answers with its shard's loss and gradients (or, for an inference
// request, the encoder's or decoder's output for its rows). Never imported:
// the pool starts it by URL.
import { parentPort, workerData } from 'node:worker_threads';
import { setupBackend } from '../backend.js';
import { builtModule, type ReplicaInit, type ReplicaRequest } from '../parallel/replica.js';
import { definitionFrom, serveReplica } from '../parallel/replica-host.js';

const port = parentPort!;
void serveReplica(
  workerData as ReplicaInit,
  { post: (message, transfer = []) => port.postMessage(message, transfer), onRequest: (listener) => port.on('message', (m: ReplicaRequest) => listener(m)) },
  {
    prepareBackend: (backend) => setupBackend(backend),
    loadDefinition: async (source) => definitionFrom((await import(builtModule(source.module))) as Record<string, unknown>, source),
  },
);
