import { Worker } from 'node:worker_threads';
import { arithmeticOf, backendMemory, gemmArithmetic, gemmKernelsFor, moduleFor } from '../gemm/gemm-module.js';
import type { GemmArithmetic } from '../gemm/gemm-module.js';
import { callerBlock, installGemmTeam, uninstallGemmTeam } from '../gemm/gemm-team.js';
import type { GemmTeam, TeamJob } from '../gemm/gemm-team.js';
import { rowsPerGemmCall, stridesOf } from '../gemm/product-layout.js';
import { TeamCalibration, type TeamCalibrationOptions, type TeamMode } from '../gemm/team-calibration.js';
import { HELPER_SOURCE, Slot, SLOTS } from './gemm-team-helper.js';

const PAGE = 65536;
/** How long the caller polls for the helper's block before it sleeps. */
const SPIN_MS = 2;

export interface GemmTeamOptions {
  /**
   * The tfjs wasm backend the team serves. When its heap is shared (started inside withSharedWasmHeap), the
   * helper multiplies the tensors where they lie; otherwise operands are copied into the team's own memory.
   */
  readonly backend?: unknown;
  /** The team's own memory's ceiling in bytes (default 256 MiB, reserved up front); larger products stay on one thread. */
  readonly maxBytes?: number;
  /** How long a product waits for the helper's half before the team gives up for good (default 10 s). */
  readonly helperTimeoutMs?: number;
  /**
   * Time each product shape both ways (shared and alone) and keep the faster (default true): where the other
   * core is busy, a shared product waits for the helper's late half. false shares every large product.
   */
  readonly calibrate?: boolean | TeamCalibrationOptions;
  /** @internal The helper's CommonJS source, for tests of a helper that fails or hangs. */
  readonly helperSource?: string;
}

export interface GemmTeamHandle {
  /** Products the helper took part of so far. */
  readonly products: number;
  /** Large products run on the calling thread alone: calibration's timed runs, and shapes where sharing measured slower. */
  readonly keptAlone: number;
  /** The calibrated choice per product shape ("m×k×n", "ᵀA"/"ᵀB" for transposes), once measured. */
  choices(): ReadonlyMap<string, TeamMode>;
  /** True when the helper works on the backend's heap in place (no copies). */
  readonly inPlace: boolean;
  /** Why the team stopped helping, once its helper failed or timed out. */
  readonly failure: string | undefined;
  /** Uninstalls the team and ends its helper thread. */
  stop(): Promise<void>;
}

/**
 * Starts a helper thread and installs it as the process's GEMM team: from now on each float32 BatchMatMul of
 * one product with at least 2²³ multiply-adds is split between this thread and the helper (by rows for a
 * transposed A, else by 8-column panels). On a backend whose heap is shared (withSharedWasmHeap) the helper
 * works in place; otherwise the operands are copied into the team's own shared memory, which pays less. Use it
 * where a core would idle: a fit that trains on one thread of a 2-core machine. Results are bitwise those of
 * one thread. Resolves undefined where the engine has no shared WebAssembly memory or SIMD.
 */
export async function startGemmTeam(options: GemmTeamOptions = {}): Promise<GemmTeamHandle | undefined> {
  if (typeof SharedArrayBuffer === 'undefined') return undefined;
  const backendHeap = options.backend === undefined ? undefined : backendMemory(options.backend);
  const inPlace = backendHeap?.buffer instanceof SharedArrayBuffer ? backendHeap : undefined;
  const kernels = inPlace && gemmKernelsFor(options.backend);
  const arithmetic = (kernels && arithmeticOf(kernels)) ?? gemmArithmetic();
  const module = moduleFor(arithmetic, true);
  if (!module) return undefined;
  const maxPages = Math.max(1, Math.floor((options.maxBytes ?? 256 * 2 ** 20) / PAGE));
  const memory = inPlace ?? new WebAssembly.Memory({ initial: Math.min(32, maxPages), maximum: maxPages, shared: true });
  const control = new Int32Array(new SharedArrayBuffer(SLOTS * 4));
  // No parent flags: the helper evaluates plain CommonJS and refuses process-wide ones (--expose-gc).
  const helper = new Worker(options.helperSource ?? HELPER_SOURCE, { eval: true, execArgv: [], workerData: { memory, control, module } });
  await new Promise<void>((resolve, reject) => {
    helper.once('message', () => resolve());
    helper.once('error', reject);
  });
  helper.unref(); // an idle helper never keeps the process alive
  // A helper given up on is ended: working in place, a late answer would write into tensors reused since.
  const calibration = options.calibrate === false ? undefined : new TeamCalibration(options.calibrate === true ? {} : options.calibrate);
  const team = new SharedHeapTeam(arithmetic, memory, control, maxPages, options.helperTimeoutMs ?? 10_000, () => void helper.terminate(), calibration);
  helper.on('error', (e) => team.fail(`the GEMM helper thread failed: ${e.message}`));
  helper.on('exit', (code) => team.fail(`the GEMM helper thread exited with code ${code}`));
  installGemmTeam(team);
  return {
    get products() {
      return team.products;
    },
    get keptAlone() {
      return team.keptAlone;
    },
    choices: () => calibration?.choices() ?? new Map(),
    inPlace: inPlace !== undefined,
    get failure() {
      return team.failure;
    },
    async stop() {
      uninstallGemmTeam(team);
      team.fail('stopped');
      Atomics.store(control, Slot.Stop, 1);
      Atomics.add(control, Slot.Request, 1);
      Atomics.notify(control, Slot.Request);
      await helper.terminate();
    },
  };
}

class SharedHeapTeam implements GemmTeam {
  products = 0;
  keptAlone = 0;
  failure: string | undefined;
  private sequence = 0;

  constructor(
    readonly arithmetic: GemmArithmetic,
    private readonly memory: WebAssembly.Memory,
    private readonly control: Int32Array,
    private readonly maxPages: number,
    private readonly timeoutMs: number,
    private readonly giveUp: () => void = () => {},
    private readonly calibration?: TeamCalibration,
  ) {}

  fail(why: string): void {
    this.failure ??= why;
  }

  multiply(job: TeamJob): boolean {
    if (this.failure !== undefined) return false;
    const mode = this.calibration?.pick(job.shape) ?? 'team';
    const started = performance.now();
    if (mode === 'alone') {
      const { m, n } = job.shape;
      job.ours({ rowFrom: 0, rowTo: m, colFrom: 0, colTo: n });
      this.keptAlone++;
    } else if (!this.share(job)) return false;
    this.calibration?.record(job.shape, mode, performance.now() - started);
    return true;
  }

  /** The product split between this thread and the helper; false when the team declines it. */
  private share(job: TeamJob): boolean {
    const { m, k, n, transposeA } = job.shape;
    const mine = callerBlock(job.shape);
    // The helper's block: rows [rowFrom, m) × columns [colFrom, n), where one of the two starts at 0.
    const rowFrom = mine.rowTo < m ? mine.rowTo : 0;
    const colFrom = mine.colTo < n ? mine.colTo : 0;
    const [rows, cols] = [m - rowFrom, n - colFrom];
    const { sI, sK, bsK, bsN } = stridesOf(job.shape);
    const slice = rowsPerGemmCall(m, n, transposeA);
    const inPlace = job.heap === this.memory;
    let copied: { c: number } | undefined;
    if (inPlace) {
      this.ask([job.a + rowFrom * sI, sI, sK, job.b + colFrom * bsN, bsK, bsN, job.scratch, job.c + 4 * (rowFrom * n + colFrom), n, rows, k, cols, slice]);
    } else {
      copied = this.copyOperands(job, rowFrom, colFrom, rows, cols);
      if (!copied) return false;
    }
    const request = this.sequence;
    job.ours(mine);
    if (!this.awaitHelper(request)) return false;
    if (copied) {
      const out = new Float32Array(job.heap.buffer, job.c, m * n);
      const done = new Float32Array(this.memory.buffer, copied.c, rows * cols);
      if (cols === n) out.set(done, rowFrom * n);
      else for (let i = 0; i < rows; i++) out.set(done.subarray(i * cols, (i + 1) * cols), (rowFrom + i) * n + colFrom);
    }
    this.products++;
    return true;
  }

  /**
   * Another heap (the backend started on a private one): copies what the helper reads into the team's memory
   * and asks for its block there, compact (cols floats a row). Returns where that block will be, or undefined
   * when it would pass the memory's ceiling.
   */
  private copyOperands(job: TeamJob, rowFrom: number, colFrom: number, rows: number, cols: number): { c: number } | undefined {
    const { m, k, n, transposeA, transposeB } = job.shape;
    // All of A; of B, the rows [colFrom, n) when B is transposed (contiguous), else all of it.
    const bFrom = transposeB ? colFrom * k : 0;
    const bFloats = transposeB ? cols * k : k * n;
    const at = { a: 0, b: m * k, c: m * k + bFloats, packed: m * k + bFloats + rows * cols };
    const floats = at.packed + Math.ceil(cols / 8) * 8 * k;
    if (!this.reserve(floats * 4)) return undefined;
    const heap = new Float32Array(this.memory.buffer);
    heap.set(new Float32Array(job.heap.buffer, job.a, m * k), at.a);
    heap.set(new Float32Array(job.heap.buffer, job.b + 4 * bFrom, bFloats), at.b);
    const { sI, sK, bsK, bsN } = stridesOf(job.shape);
    const bAt = 4 * at.b + (transposeB ? 0 : colFrom * 4);
    this.ask([4 * at.a + rowFrom * sI, sI, sK, bAt, bsK, bsN, 4 * at.packed, 4 * at.c, cols, rows, k, cols, rowsPerGemmCall(m, n, transposeA)]);
    return { c: 4 * at.c };
  }

  /** Hands the helper its product: a, sI, sK, b, bsK, bsN, packed, c, ldc, m, k, n, rows per gemm call. */
  private ask(params: readonly number[]): void {
    this.control.set(params, Slot.Params);
    Atomics.store(this.control, Slot.Request, ++this.sequence);
    Atomics.notify(this.control, Slot.Request);
  }

  /** Grows the shared heap to `bytes`, or false where that passes its ceiling. */
  private reserve(bytes: number): boolean {
    const pages = Math.ceil(bytes / PAGE);
    const have = this.memory.buffer.byteLength / PAGE;
    if (pages > this.maxPages) return false;
    if (pages > have) this.memory.grow(pages - have);
    return true;
  }

  private awaitHelper(request: number): boolean {
    const ask = this.control;
    const waitStart = performance.now();
    const deadline = waitStart + this.timeoutMs;
    for (;;) {
      const done = Atomics.load(ask, Slot.Done);
      if (done === request) break;
      const left = deadline - performance.now();
      if (left <= 0) {
        this.fail(`the GEMM helper thread did not answer within ${this.timeoutMs} ms`);
        this.giveUp();
        return false;
      }
      // The helper's half ends within a fraction of a millisecond of ours: spin briefly before sleeping.
      if (performance.now() - waitStart < SPIN_MS) continue;
      Atomics.wait(ask, Slot.Done, done, left);
    }
    if (Atomics.load(ask, Slot.Failed) !== 0) {
      this.fail('the GEMM helper thread failed a product');
      this.giveUp();
      return false;
    }
    return true;
  }
}
