// Node-only helpers: the main entry stays browser-safe.
import v8 from 'node:v8';
import { gemmArithmetic } from './gemm/gemm-module.js';
import type { GemmArithmetic } from './gemm/gemm-module.js';

/**
 * Lets this process's WebAssembly use relaxed SIMD, whose fused multiply-add makes the GEMM behind BatchMatMul
 * about 1.2× faster. Node 20 ships it behind --experimental-wasm-relaxed-simd (later Node versions and Chrome
 * 114+ have it on); the switch is process-wide, so worker threads get it too. Call it once at start-up, before
 * the wasm backend runs its first matMul (each backend keeps the variant it started with). Returns the
 * arithmetic the GEMM uses from now on: 'relaxed-fma', or 'simd' where the engine refuses the flag.
 *
 * Relaxed SIMD lets the engine fuse or not: with FMA the rounding differs from a multiply then an add, so
 * the same seed gives the same model on one machine but may differ in the last bits across CPUs.
 */
export function enableRelaxedSimd(): GemmArithmetic {
  if (gemmArithmetic() === 'relaxed-fma') return 'relaxed-fma';
  try {
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    // An engine that freezes its flags keeps plain SIMD.
  }
  return gemmArithmetic();
}

export { startGemmTeam } from './node/gemm-team.js';
export type { GemmTeamHandle, GemmTeamOptions } from './node/gemm-team.js';
