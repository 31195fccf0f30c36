// Wide data in bounded memory, measured on a fresh child process each (its peak RSS is its own): 10 rows ×
// 20,000 or 100,000 columns used to allocate a D×D float64 covariance (3.2 GB; 80 GB, "Invalid typed array
// length"). Now 'auto' solves them without any D×D matrix, and a forced exact solver over the limit set by
// LATENTKIT_MAX_DATA_BYTES is refused in one line.
import { fileURLToPath } from 'node:url';
import { type ChildResult, moduleUrl, runChild } from '@latentkit/tooling/child';
import { describe, expect, it } from 'vitest';

const INDEX_ENTRY = moduleUrl(fileURLToPath(new URL('./index.ts', import.meta.url)));
const NODE_ENTRY = moduleUrl(fileURLToPath(new URL('./node.ts', import.meta.url)));
/** A child that only imports PCA peaks near 170 MB (the TypeScript transpiler included); these fits plan under 50 MB. */
const RSS_BOUND = 320 * 2 ** 20;

/** Fits `latentDim` components of n×D pseudo-random data in a child, with the worker engine registered as the CLI does. */
function fitWide(n: number, D: number, settings: Record<string, unknown>, env: Record<string, string> = {}): Promise<ChildResult> {
  return runChild(
    `const { fitPca } = await import(${JSON.stringify(INDEX_ENTRY)});
     const { useWorkerThreads } = await import(${JSON.stringify(NODE_ENTRY)});
     const engine = useWorkerThreads(2);
     try {
       const n = ${n}, D = ${D};
       const data = new Float32Array(n * D);
       let s = 12345;
       for (let i = 0; i < data.length; i++) { s = (s * 1103515245 + 12345) % 2147483648; data[i] = s / 2147483648 - 0.5 + (i % D) / D; }
       const { model, result } = await fitPca({ name: 'wide', x: { data, rows: n, cols: D } }, ${JSON.stringify(settings)}, { seed: 1 });
       const codes = await model.encode({ data, rows: n, cols: D });
       return { ...result.info, latentDim: model.latentDim, codesFinite: codes.data.every(Number.isFinite) };
     } finally {
       await engine.close();
     }`,
    { env, timeoutMs: 60_000 },
  );
}

function expectFitted(r: ChildResult, solver: string, method: string): Record<string, unknown> {
  expect(r.timedOut, 'the fit hung').toBe(false);
  expect(r.ok, JSON.stringify(r.error)).toBe(true);
  const info = r.value as Record<string, unknown>;
  expect(info).toMatchObject({ solver, method, codesFinite: true });
  expect(info.explainedVarianceRatioSum as number).toBeGreaterThan(0);
  expect(info.explainedVarianceRatioSum as number).toBeLessThanOrEqual(1 + 1e-6);
  expect(r.maxRssBytes).toBeLessThan(RSS_BOUND);
  return info;
}

describe('PCA on wide data in bounded memory (each fit in its own child process)', () => {
  it('10 × 20,000 with the auto solver: randomized on the data, no D×D matrix (RSS bound 320 MiB)', async () => {
    const info = expectFitted(await fitWide(10, 20_000, { latentDim: 2 }), 'randomized', 'direct');
    expect(info.plannedBytes as number).toBeLessThan(20 * 2 ** 20);
  });

  it('10 × 100,000 with the auto solver: randomized on the data, no "Invalid typed array length" (RSS bound 320 MiB)', async () => {
    expectFitted(await fitWide(10, 100_000, { latentDim: 2 }), 'randomized', 'direct');
  });

  it('10 × 100,000 asking for 9 components: exact through the 10×10 Gram matrix (RSS bound 320 MiB)', async () => {
    const info = expectFitted(await fitWide(10, 100_000, { latentDim: 9 }), 'exact', 'gram');
    expect(info.latentDim).toBe(9);
  });

  it('a forced exact solver over LATENTKIT_MAX_DATA_BYTES is refused in one line naming the need and the way out', async () => {
    const r = await fitWide(1000, 1000, { latentDim: 2, solver: 'exact' }, { LATENTKIT_MAX_DATA_BYTES: '4000000' });
    expect(r.timedOut).toBe(false);
    expect(r.ok).toBe(false);
    expect(r.error).toMatchObject({ name: 'LatentkitError', code: 'E_OPTION' });
    expect(r.error?.message).toMatch(
      /^reducer "pca": the exact solver needs [\d,]+ bytes \([\d.]+ MiB\) for a 1000×1000 covariance, more than the memory limit of 4,000,000 bytes \(3\.8 MiB\), set by LATENTKIT_MAX_DATA_BYTES; use --opt solver=randomized, fewer columns, or raise LATENTKIT_MAX_DATA_BYTES$/,
    );
    expect(r.maxRssBytes).toBeLessThan(RSS_BOUND);
  });
});
