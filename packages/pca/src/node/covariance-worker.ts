// Worker-thread side of the worker covariance engine: computes one Gram chunk per message.
import { parentPort } from 'node:worker_threads';
import { computeGramChunk, type GramChunkTask } from '../gram-chunk.js';
import { releaseLargeKernelMemory } from '../wasm/gram-kernel.js';

export interface ChunkRequest {
  readonly id: number;
  readonly task: GramChunkTask;
}

export type ChunkReply =
  | { readonly id: number; readonly ok: true; readonly dp: number; readonly gram: Float64Array; readonly sums: Float64Array | undefined }
  | { readonly id: number; readonly ok: false; readonly message: string };

const port = parentPort;
if (port) {
  port.on('message', ({ id, task }: ChunkRequest) => {
    let reply: ChunkReply;
    try {
      const { dp, gram, sums } = computeGramChunk(task);
      reply = { id, ok: true, dp, gram, sums };
      const transfer = (sums ? [gram.buffer, sums.buffer] : [gram.buffer]) as ArrayBuffer[];
      port.postMessage(reply, transfer);
    } catch (error) {
      reply = { id, ok: false, message: error instanceof Error ? error.message : String(error) };
      port.postMessage(reply);
    }
    // The sums went out as a copy: a kernel grown for wide data need not stay resident between fits.
    releaseLargeKernelMemory();
  });
}
