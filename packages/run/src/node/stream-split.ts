import { LatentkitError, type Matrix, type RowBatch, type RowBatchSource, throwIfAborted } from '@latentkit/core';
import { splitMembership } from '@latentkit/data';

/**
 * Which rows of a source are test rows (1) or training rows (0): @latentkit/data's splitMembership, the very
 * decision its stratifiedSplit makes for the loaded file (stratified when `labels` are given, else one seeded
 * shuffle of 0..n−1 whose first round(test·n), or `test`, rows are held out), so `latentkit eval` on the loaded
 * file measures the same held-out rows as a streamed fit did. One byte per row (1 MB per million rows).
 */
export function testRowMask(n: number, test: number, seed: number, name: string, labels?: ArrayLike<number>): Uint8Array {
  return splitMembership(n, labels, { test, seed, name });
}

/**
 * The class of every row of a source with a label column, in one read (4 bytes per row), so that a streamed
 * split can be stratified like the in-memory one; undefined when the source has no labels.
 */
export async function labelsOfSource(source: RowBatchSource, n: number, signal?: AbortSignal): Promise<Int32Array | undefined> {
  if (!source.labelNames) return undefined;
  const labels = new Int32Array(n);
  let seen = 0;
  for await (const batch of source.batches(signal ? { signal } : {})) {
    if (!batch.labels) return undefined;
    if (batch.offset + batch.labels.length > n) throw new LatentkitError('E_INPUT_FORMAT', `${source.name} gave more rows than the ${n} its header declares`);
    labels.set(batch.labels, batch.offset);
    seen += batch.labels.length;
  }
  if (seen !== n) throw new LatentkitError('E_INPUT_FORMAT', `${source.name} gave ${seen} rows, but its header declares ${n}`);
  return labels;
}

/** Rows of a batch whose mask entry equals `keep` (a copy), or the batch itself when all of them do. */
function selectRows(batch: RowBatch, mask: Uint8Array, keep: number): Matrix {
  const { x, offset } = batch;
  let count = 0;
  for (let r = 0; r < x.rows; r++) if (mask[offset + r] === keep) count++;
  if (count === x.rows) return x;
  const data = new Float32Array(count * x.cols);
  let at = 0;
  for (let r = 0; r < x.rows; r++) {
    if (mask[offset + r] !== keep) continue;
    data.set(x.data.subarray(r * x.cols, (r + 1) * x.cols), at * x.cols);
    at++;
  }
  return { data, rows: count, cols: x.cols };
}

/**
 * The train (mask 0) or test (mask 1) rows of a source, as a source of their own: each pass re-reads the
 * whole source and keeps those rows, renumbered from 0. Labels and ids are not carried (a fit needs rows).
 */
export function maskedRowSource(source: RowBatchSource, mask: Uint8Array, part: 'train' | 'test'): RowBatchSource {
  const keep = part === 'test' ? 1 : 0;
  let rows = 0;
  for (const m of mask) if (m === keep) rows++;
  return {
    name: `${source.name} (${part} rows)`,
    cols: source.cols,
    rows,
    ...(source.imageShape ? { imageShape: source.imageShape } : {}),
    async *batches(options) {
      let offset = 0;
      for await (const batch of source.batches(options)) {
        if (batch.offset + batch.x.rows > mask.length) {
          throw new LatentkitError('E_INPUT_FORMAT', `${source.name} gave more rows than the ${mask.length} its header declares`);
        }
        const x = selectRows(batch, mask, keep);
        if (x.rows === 0) continue;
        yield { x, offset };
        offset += x.rows;
      }
    },
  };
}

type Part = 0 | 1;
type RowBatchOptions = NonNullable<Parameters<RowBatchSource['batches']>[0]>;

/**
 * One read of a source split between its train (mask 0) and test (mask 1) rows: each batch read is cut into
 * the two parts, and the part of a side whose pass is open waits in that side's queue until it is asked for.
 * The queues stay a batch or two long as long as the consumer pulls from the side that is behind (as PCA's
 * paired statistics do); a side whose pass is closed gets nothing queued.
 */
class SharedPass {
  readonly #queues: [RowBatch[], RowBatch[]] = [[], []];
  readonly #open: [boolean, boolean] = [false, false];
  readonly #next: [number, number] = [0, 0];
  readonly #limits: [number, number] = [Infinity, Infinity];
  readonly #signals: (AbortSignal | undefined)[] = [];
  #reader: AsyncIterator<RowBatch> | undefined;
  #done = false;

  constructor(
    private readonly source: RowBatchSource,
    private readonly mask: Uint8Array,
    private readonly options: RowBatchOptions,
  ) {}

  /** A side may join while nothing has been read yet (so it misses no rows) and it is not in already. */
  canJoin(part: Part): boolean {
    return this.#reader === undefined && !this.#done && !this.#open[part];
  }

  join(part: Part, options: RowBatchOptions): void {
    this.#open[part] = true;
    if (options.batchRows !== undefined) this.#limits[part] = options.batchRows;
    if (options.signal) this.#signals.push(options.signal);
  }

  async next(part: Part): Promise<IteratorResult<RowBatch>> {
    for (;;) {
      const queued = this.#queues[part].shift();
      if (queued) return { value: queued, done: false };
      if (this.#done) return { value: undefined, done: true };
      for (const signal of this.#signals) throwIfAborted(signal, `reading ${this.source.name}`);
      this.#reader ??= this.source.batches(this.options)[Symbol.asyncIterator]();
      const read = await this.#reader.next();
      if (read.done) {
        this.#done = true;
        continue;
      }
      const batch = read.value;
      if (batch.offset + batch.x.rows > this.mask.length) {
        throw new LatentkitError('E_INPUT_FORMAT', `${this.source.name} gave more rows than the ${this.mask.length} its header declares`);
      }
      for (const side of [0, 1] as const) {
        if (side !== part && !this.#open[side]) continue;
        const x = selectRows(batch, this.mask, side);
        // Parts no longer than the side asked for (the reader's batches follow the first side's request).
        for (let start = 0; start < x.rows; start += this.#limits[side]) {
          const rows = Math.min(this.#limits[side], x.rows - start);
          const data = start === 0 && rows === x.rows ? x.data : x.data.subarray(start * x.cols, (start + rows) * x.cols);
          this.#queues[side].push({ x: { data, rows, cols: x.cols }, offset: this.#next[side] });
          this.#next[side] += rows;
        }
      }
    }
  }

  /** A side's pass ended or was abandoned: nothing more is queued for it; the read stops once no side is open. */
  async close(part: Part): Promise<void> {
    this.#open[part] = false;
    this.#queues[part].length = 0;
    if (!this.#open[0] && !this.#open[1] && this.#reader && !this.#done) {
      this.#done = true;
      await this.#reader.return?.();
    }
  }
}

/**
 * The train and test rows of a source (mask 0 and 1) as two sources, like maskedRowSource's, that share one
 * read when passes over both are opened before either is pulled from: a consumer that sums both as it goes (PCA's
 * training and held-out statistics) then reads the file once instead of twice. A pass over one side alone reads
 * the source itself. Batches and offsets are exactly maskedRowSource's (for the same batchRows).
 */
export function splitRowSources(source: RowBatchSource, mask: Uint8Array): { readonly train: RowBatchSource; readonly test: RowBatchSource } {
  let latest: SharedPass | undefined;
  const side = (part: Part): RowBatchSource => {
    const alone = maskedRowSource(source, mask, part === 1 ? 'test' : 'train');
    return {
      ...alone,
      batches(options = {}) {
        const pass = latest?.canJoin(part) ? latest : (latest = new SharedPass(source, mask, options));
        pass.join(part, options);
        let closed = false;
        const close = async () => {
          if (!closed) await pass.close(part);
          closed = true;
        };
        return {
          [Symbol.asyncIterator]: () => ({
            next: async () => {
              const r = await pass.next(part).catch(async (e: unknown) => {
                await close();
                throw e;
              });
              if (r.done) await close();
              return r;
            },
            return: async () => {
              await close();
              return { value: undefined, done: true as const };
            },
          }),
        };
      },
    };
  };
  return { train: side(0), test: side(1) };
}
