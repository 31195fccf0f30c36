// Worker-thread side of the worker covariance engine: one Gram chunk or one block of sign-rule scores per message.
import { parentPort } from 'node:worker_threads';
import { computeGramChunk, type GramChunkTask } from '../gram-chunk.js';
import { type ScoreTask, scoreExtremes } from '../sign-scores.js';
import { releaseLargeKernelMemory } from '../wasm/gram-kernel.js';

export type ChunkRequest = { readonly id: number; readonly kind: 'gram'; readonly task: GramChunkTask } | { readonly id: number; readonly kind: 'scores'; readonly task: ScoreTask };

/** Every reply hands the request's row buffer back (`rows`), so the engine can reuse it for a later chunk. */
export type ChunkReply = { readonly rows?: ArrayBuffer } & (
  | { readonly id: number; readonly ok: true; readonly kind: 'gram'; readonly dp: number; readonly gram: Float64Array; readonly sums: Float64Array | undefined; readonly notBytes?: boolean }
  | { readonly id: number; readonly ok: true; readonly kind: 'scores'; readonly best: Float64Array; readonly signed: Float64Array }
  | { readonly id: number; readonly ok: false; readonly message: string }
);

const port = parentPort;
if (port) {
  port.on('message', (request: ChunkRequest) => {
    const { id } = request;
    const rows = request.task.data.buffer as ArrayBuffer;
    try {
      if (request.kind === 'gram') {
        const { dp, gram, sums, notBytes } = computeGramChunk(request.task);
        const transfer = (sums ? [gram.buffer, sums.buffer, rows] : [gram.buffer, rows]) as ArrayBuffer[];
        port.postMessage({ id, ok: true, kind: 'gram', dp, gram, sums, rows, ...(notBytes ? { notBytes } : {}) } satisfies ChunkReply, transfer);
      } else {
        const { best, signed } = scoreExtremes(request.task);
        port.postMessage({ id, ok: true, kind: 'scores', best, signed, rows } satisfies ChunkReply, [rows]);
      }
    } catch (error) {
      port.postMessage({ id, ok: false, message: error instanceof Error ? error.message : String(error), rows } satisfies ChunkReply, [rows]);
    }
    // The results went out as copies: a kernel grown for wide data need not stay resident between fits.
    releaseLargeKernelMemory();
  });
}
