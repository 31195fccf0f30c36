import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = (file: string) => fileURLToPath(new URL(`../dist/${file}`, import.meta.url));

// A fresh process without --experimental-wasm-relaxed-simd, as `node cli.js` starts: before, after the switch,
// in a worker thread started afterwards, and a product on the fused kernel against a float64 reference.
const script = `
const { enableRelaxedSimd } = await import(${JSON.stringify(dist('node.js'))});
const { gemmArithmetic } = await import(${JSON.stringify(dist('gemm/gemm-module.js'))});
const { gemmKernelsFor } = await import(${JSON.stringify(dist('gemm/gemm-module.js'))});
const { Worker } = await import('node:worker_threads');
const before = gemmArithmetic();
const after = enableRelaxedSimd();
const worker = await new Promise((resolve) => {
  const w = new Worker('const { parentPort } = await import("node:worker_threads"); parentPort.postMessage(WebAssembly.validate(Buffer.from(process.env.PROBE, "base64")));', { eval: true, env: { PROBE: process.env.PROBE } });
  w.once('message', (v) => { resolve(v); w.terminate(); });
});
const memory = new WebAssembly.Memory({ initial: 1 });
const k = gemmKernelsFor({ wasm: { asm: { memory } } });
const heap = new Float32Array(memory.buffer);
const [m, kk, n] = [9, 17, 15];
for (let i = 0; i < m * kk + kk * n; i++) heap[i] = Math.sin(i + 1);
k.pack(4 * m * kk, 4 * n, 4, kk, n, 4 * (m * kk + kk * n));
const c = m * kk + kk * n + 16 * kk;
k.gemm(0, 4 * kk, 4, 4 * (m * kk + kk * n), 4 * c, n, m, kk, n, 0);
let err = 0;
for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
  let s = 0;
  for (let t = 0; t < kk; t++) s += heap[i * kk + t] * heap[m * kk + t * n + j];
  err = Math.max(err, Math.abs(s - heap[c + i * n + j]));
}
console.log(JSON.stringify({ before, after, worker, err }));
`;

// The smallest module using f32x4.relaxed_madd: what a worker validates after the switch.
const RELAXED_PROBE = 'AGFzbQEAAAABCAFgA3t7ewF7AwIBAAcFAQFmAAAKDQELACAAIAEgAv2FAgs=';

describe('enableRelaxedSimd', () => {
  it('switches relaxed SIMD on for the process and its workers, and the fused GEMM is right', () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, PROBE: RELAXED_PROBE } });
    const { before, after, worker, err } = JSON.parse(out.trim().split('\n').pop()!) as { before: string; after: string; worker: boolean; err: number };
    // Node 20 starts without it; later versions have it on: either way it is on afterwards.
    expect(['simd', 'relaxed-fma']).toContain(before);
    expect(after).toBe('relaxed-fma');
    expect(worker).toBe(true);
    expect(err).toBeLessThan(1e-5);
  });
});
