import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '../index.js';
import { loadWasm, useBackend } from '../__fixtures__/backends.js';
import { multiply, sameBits, SHARED_PRODUCTS as shared } from '../__fixtures__/team-products.js';
import { HELPER_SOURCE } from './gemm-team-helper.js';
import { startGemmTeam, type GemmTeamHandle } from './gemm-team.js';

beforeAll(async () => {
  await loadWasm();
  registerWasmTrainingKernels();
  await useBackend('wasm');
});

let team: GemmTeamHandle | undefined;
afterEach(async () => {
  await team?.stop();
  team = undefined;
});

// Calibration off unless a test turns it on: these tests count what the helper shared.
async function start(options: Parameters<typeof startGemmTeam>[0] = {}): Promise<GemmTeamHandle> {
  const started = await startGemmTeam({ calibrate: false, ...options });
  if (!started) throw new Error('this engine has no shared WebAssembly memory: the team cannot start');
  return started;
}

describe('GEMM team: a helper thread takes half of each large product', () => {
  it('gives bitwise the one-thread result for every shape and transpose, and counts what it shared', async () => {
    const alone = shared.map((c) => multiply(c));
    team = await start();
    const together = shared.map((c) => multiply(c));
    expect(team.products).toBe(shared.length);
    expect(team.failure).toBeUndefined();
    expect(team.inPlace).toBe(false); // the backend's heap is private here: operands are copied
    together.forEach((values, i) => expect(sameBits(values, alone[i]!)).toBe(true));
    // A product against a cpu reference, so equality above is not equality of two wrong answers.
    const [cpu] = await (async () => {
      await useBackend('cpu');
      try {
        return [multiply(shared[3]!)];
      } finally {
        await useBackend('wasm');
      }
    })();
    let worst = 0;
    together[3]!.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - cpu![i]!) / (Math.abs(cpu![i]!) + 1))));
    expect(worst).toBeLessThan(1e-5);
  });

  it('calibrating, runs a shape both ways before it chooses, every product still bitwise one thread’s', async () => {
    const product = shared[0]!;
    const alone = multiply(product);
    team = await start({ calibrate: { probes: 2 } });
    const runs = Array.from({ length: 10 }, () => multiply(product));
    // Team, alone, team, alone, team, alone (a warm-up and 2 timed runs each), then the faster way 4 times.
    expect(team.products + team.keptAlone).toBe(10);
    expect(team.products).toBeGreaterThanOrEqual(3);
    expect(team.keptAlone).toBeGreaterThanOrEqual(3);
    const [choice] = [...team.choices().values()];
    expect(choice === 'team' ? team.products : team.keptAlone).toBe(7);
    runs.forEach((values) => expect(sameBits(values, alone)).toBe(true));
  });

  it('keeps small, batched and one-panel products on this thread', async () => {
    team = await start();
    multiply({ a: [128, 256], b: [256, 255], transposeA: false, transposeB: false }); // just under 2²³ multiply-adds
    multiply({ a: [4096, 512], b: [512, 8], transposeA: false, transposeB: false }); // one 8-column panel
    multiply({ a: [8, 4096], b: [4096, 512], transposeA: false, transposeB: false }); // 8 rows
    multiply({ a: [2, 128, 784], b: [2, 784, 256], transposeA: false, transposeB: false }); // a batch of 2
    expect(team.products).toBe(0);
  });

  it('stops sharing once stopped, and the thread ends', async () => {
    team = await start();
    multiply(shared[0]!);
    await team.stop();
    multiply(shared[0]!);
    expect(team.products).toBe(1);
    expect(team.failure).toBe('stopped');
  });

  it('declines a product past its memory ceiling, and the caller multiplies it alone', async () => {
    const alone = multiply(shared[0]!);
    team = await start({ maxBytes: 1 << 20 }); // dense-ae's first layer needs about 1.6 MB
    expect(Array.from(multiply(shared[0]!))).toEqual(Array.from(alone));
    expect(team.products).toBe(0);
    expect(team.failure).toBeUndefined();
  });

  it('gives up on a helper that does not answer, and every product is still right', async () => {
    const alone = multiply(shared[0]!);
    // A helper that says it is ready, then never takes a request.
    team = await start({ helperSource: "require('node:worker_threads').parentPort.postMessage('ready'); setInterval(() => {}, 1000);", helperTimeoutMs: 200 });
    expect(Array.from(multiply(shared[0]!))).toEqual(Array.from(alone));
    expect(team.failure).toMatch(/did not answer within 200 ms/);
    expect(Array.from(multiply(shared[0]!))).toEqual(Array.from(alone));
    expect(team.products).toBe(0);
  });

  it('gives up on a helper whose product fails, and every product is still right', async () => {
    const alone = multiply(shared[1]!);
    // The real helper with its GEMM broken: each request throws inside the loop.
    team = await start({ helperSource: HELPER_SOURCE.replace('k.pack(b,', 'k.missing(b,') });
    expect(Array.from(multiply(shared[1]!))).toEqual(Array.from(alone));
    expect(team.failure).toMatch(/failed a product/);
    expect(team.products).toBe(0);
  });
});
