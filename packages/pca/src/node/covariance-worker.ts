// Worker-thread side of the worker covariance engine: one Gram chunk or one block's sign-rule screening per message.
import { parentPort } from 'node:worker_threads';
import { computeGramChunk, type GramChunkTask } from '../gram-chunk.js';
import { type ScoreScreen, screenScores, type ScoreTask } from '../sign-scores.js';
import { releaseLargeKernelMemory } from '../wasm/gram-kernel.js';

export type ChunkRequest = { readonly id: number; readonly kind: 'gram'; readonly task: GramChunkTask } | { readonly id: number; readonly kind: 'scores'; readonly task: ScoreTask };

/** A reply hands the request's row buffer back (`rows`, unless it was shared memory), so the engine can reuse it for a later chunk. */
export type ChunkReply = { readonly rows?: ArrayBuffer } & (
  | { readonly id: number; readonly ok: true; readonly kind: 'gram'; readonly dp: number; readonly gram: Float64Array; readonly sums: Float64Array | undefined; readonly notBytes?: boolean }
  | { readonly id: number; readonly ok: true; readonly kind: 'scores'; readonly screen: ScoreScreen }
  | { readonly id: number; readonly ok: false; readonly message: string }
);

const port = parentPort;
if (port) {
  port.on('message', (request: ChunkRequest) => {
    const { id } = request;
    // Rows sent (not shared) go back with the answer, so the engine can reuse their buffer for a later chunk.
    const given = request.task.data.buffer;
    const rows = given instanceof SharedArrayBuffer ? undefined : given;
    const back = rows ? [rows] : [];
    try {
      if (request.kind === 'gram') {
        const { dp, gram, sums, notBytes } = computeGramChunk(request.task);
        const transfer = [gram.buffer, ...(sums ? [sums.buffer] : []), ...back] as ArrayBuffer[];
        port.postMessage({ id, ok: true, kind: 'gram', dp, gram, sums, rows, ...(notBytes ? { notBytes } : {}) } satisfies ChunkReply, transfer);
      } else {
        const screen = screenScores(request.task);
        port.postMessage({ id, ok: true, kind: 'scores', screen, rows } satisfies ChunkReply, back);
      }
    } catch (error) {
      port.postMessage({ id, ok: false, message: error instanceof Error ? error.message : String(error), rows } satisfies ChunkReply, back);
    }
    // The results went out as copies: a kernel grown for wide data need not stay resident between fits.
    releaseLargeKernelMemory();
  });
}
