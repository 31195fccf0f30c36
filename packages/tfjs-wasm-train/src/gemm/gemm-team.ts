import type { GemmArithmetic } from './gemm-module.js';
import type { ProductShape } from './product-layout.js';

export type { ProductShape } from './product-layout.js';

/**
 * A second thread that takes part of each large matrix product (browser-safe: only the slot lives here;
 * '@latentkit/tfjs-wasm-train/node' starts one on a worker thread). The helper runs the same GEMM on its block
 * of C (callerBlock), so every output element is computed exactly as on one thread: results are bitwise the
 * same with or without a team.
 */
export interface GemmTeam {
  /** The arithmetic the team's GEMM runs: it only helps a backend whose kernels use the same one. */
  readonly arithmetic: GemmArithmetic;
  /**
   * C (m × n, row-major) = op(A) · op(B) for a product on `job.heap`, where op transposes a stored k × m A (or
   * n × k B) when asked. The team calls `job.ours` for the caller's block of C while its helper computes the
   * rest. Returns false when it declines (too large for its memory, or its helper failed): the caller then
   * multiplies on its own.
   */
  multiply(job: TeamJob): boolean;
}

/** One product for a team: byte addresses on the memory holding the tensors. */
export interface TeamJob {
  readonly heap: WebAssembly.Memory;
  readonly shape: ProductShape;
  readonly a: number;
  readonly b: number;
  readonly c: number;
  /** Room for the helper's packed panels on `heap` (⌈n/8⌉·8·k floats): used when the helper works there. */
  readonly scratch: number;
  readonly ours: (block: Block) => void;
}

/**
 * Multiply-adds below which a product stays on one thread: measured on 2 cores, dense-ae's 2.1M multiply-add
 * products gained nothing in place (0.17 → 0.16 ms) and lost when copied; its 25.7M ones halved.
 */
export const TEAM_MIN_MULTIPLY_ADDS = 1 << 23;

/** Rows [rowFrom, rowTo) × columns [colFrom, colTo) of C. */
export interface Block {
  readonly rowFrom: number;
  readonly rowTo: number;
  readonly colFrom: number;
  readonly colTo: number;
}

/**
 * The caller's block when a team shares a product; the helper takes the rest. A transposed A (a weight
 * gradient: many rows, A read down its columns) splits by rows, so the helper's block of C is contiguous and
 * each thread keeps the 8-row slices' reuse over all panels; otherwise by 8-column panels, so each thread
 * packs only its half of B. Either way the odd 8 go to the caller.
 */
export function callerBlock({ m, n, transposeA }: ProductShape): Block {
  return transposeA ? { rowFrom: 0, rowTo: Math.ceil(m / 16) * 8, colFrom: 0, colTo: n } : { rowFrom: 0, rowTo: m, colFrom: 0, colTo: Math.ceil(n / 16) * 8 };
}

let installed: GemmTeam | undefined;

/** Makes `team` the one BatchMatMul hands its large single products to; undefined stops that. */
export function installGemmTeam(team: GemmTeam | undefined): void {
  installed = team;
}

/** Stops handing products to `team`, if it is still the installed one. */
export function uninstallGemmTeam(team: GemmTeam): void {
  if (installed === team) installed = undefined;
}

/** The installed team, if a product of this size is worth sharing with it. */
export function gemmTeamFor(m: number, k: number, n: number, arithmetic: GemmArithmetic | undefined): GemmTeam | undefined {
  if (!installed || installed.arithmetic !== arithmetic) return undefined;
  // Both threads need at least 8 rows or one 8-column panel.
  return Math.min(m, n) > 8 && m * k * n >= TEAM_MIN_MULTIPLY_ADDS ? installed : undefined;
}
