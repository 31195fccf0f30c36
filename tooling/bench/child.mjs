// Runs one bench module in this process and prints its result as the last stdout line, with this
// process's peak RSS (the whole suite's, including data loading).
import { pathToFileURL } from 'node:url';

// As the CLI does: the wasm GEMM uses relaxed SIMD's fused multiply-add (a flag in Node 20), so the bench
// measures what users run.
const { enableRelaxedSimd } = await import('../../packages/tfjs-wasm-train/dist/node.js');
const gemm = enableRelaxedSimd();

const file = process.argv[2];
const log = (msg) => process.stderr.write(`  ${msg}\n`);
try {
  const mod = await import(pathToFileURL(file).href);
  const result = await mod.default({ log });
  const peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(`\n${JSON.stringify({ ...result, peakRssMiB, gemm })}\n`);
} catch (e) {
  process.stdout.write(`\n${JSON.stringify({ error: String(e?.stack ?? e) })}\n`);
  process.exitCode = 1;
}
