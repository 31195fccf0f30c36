// The planner alone: shapes far too large to build in a test are planned (and refused) from n, D and k.
import { isLatentkitError, MAX_DATA_BYTES_ENV, type MemoryBudget } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { inlineCovarianceEngine } from './covariance-engine.js';
import { type PcaPlan, planPca, type PlanRequest } from './memory-plan.js';
import { chooseSolver, type PcaSolver } from './options.js';

const GiB = 2 ** 30;

function request(n: number, D: number, k: number, solver: PcaSolver, budget: MemoryBudget, fraction = false): PlanRequest {
  return { n, D, k, oversamples: 10, engine: inlineCovarianceEngine, solver, preferred: chooseSolver(solver, fraction ? undefined : k, n, D), fraction, budget };
}

function refused(r: PlanRequest): { code: string; message: string } {
  try {
    planPca(r);
  } catch (e) {
    expect(isLatentkitError(e)).toBe(true);
    return e as { code: string; message: string };
  }
  throw new Error('expected a refusal');
}

const roomy: MemoryBudget = { bytes: 8 * GiB, source: "half of this machine's memory" };

describe('planPca', () => {
  it('plans wide data without a D×D matrix: randomized on the data, or exact through the n×n Gram matrix', () => {
    for (const D of [20_000, 100_000]) {
      const randomized: PcaPlan = planPca(request(10, D, 2, 'auto', roomy));
      expect(randomized).toMatchObject({ solver: 'randomized', method: 'direct', width: 10 });
      // Ω and its images (D×10 float64), the components and the model: a few bytes per feature and component.
      expect(randomized.bytes).toBeLessThan(300 * D);
      const exact = planPca(request(10, D, 9, 'auto', roomy));
      expect(exact).toMatchObject({ solver: 'exact', method: 'gram' });
      expect(exact.bytes).toBeLessThan(600 * D);
      expect(planPca(request(10, D, 2, 'exact', roomy)).method).toBe('gram');
    }
  });

  it('refuses a forced exact 20000×20000 covariance over the limit, naming the need and the ways out', () => {
    const budget: MemoryBudget = { bytes: 1.5 * GiB, source: MAX_DATA_BYTES_ENV };
    const { code, message } = refused(request(20_000, 20_000, 2, 'exact', budget));
    expect(code).toBe('E_OPTION');
    expect(message).toMatch(
      /^reducer "pca": the exact solver needs [\d,]+ bytes \((\d+\.\d) GiB\) for a 20000×20000 covariance, more than the memory limit of 1,610,612,736 bytes \(1\.5 GiB\), set by LATENTKIT_MAX_DATA_BYTES; use --opt solver=randomized, fewer columns, or raise LATENTKIT_MAX_DATA_BYTES$/,
    );
    // The running sums that become the covariance and the kernel's own: two D×D float64 arrays.
    const need = Number(/needs ([\d,]+) bytes/.exec(message)![1]!.replaceAll(',', ''));
    expect(need).toBeGreaterThan(2 * 20_000 ** 2 * 8);
    expect(need).toBeLessThan(2.1 * 20_000 ** 2 * 8);
    // 'auto' and 'randomized' solve it on the data instead.
    expect(planPca(request(20_000, 20_000, 2, 'auto', budget)).method).toBe('direct');
    expect(planPca(request(20_000, 20_000, 2, 'randomized', budget)).method).toBe('direct');
  });

  it('names what no limit can raise: one array, or the WebAssembly heap', () => {
    const unlimited: MemoryBudget = { bytes: 2 ** 50, source: 'test' };
    const arrays = refused(request(70_000, 70_000, 2, 'exact', unlimited));
    expect(arrays.message).toMatch(/needs .* for a 70000×70000 covariance, more than one array can hold; use --opt solver=randomized or fewer columns$/);
    const wasm = refused(request(30_000, 25_000, 2, 'exact', unlimited));
    expect(wasm.message).toMatch(/for a 25000×25000 covariance, more than WebAssembly memory can hold \(4 GiB\); use --opt solver=randomized or fewer columns$/);
    const gram = refused(request(70_000, 80_000, 2, 'exact', unlimited));
    expect(gram.message).toMatch(/for a 70000×70000 Gram matrix, more than one array can hold; use --opt solver=randomized or fewer rows$/);
  });

  it("'auto' keeps scikit-learn's choice when it fits and takes the covariance pass for tall data", () => {
    expect(planPca(request(60_000, 784, 16, 'auto', roomy))).toMatchObject({ solver: 'randomized', method: 'covariance' });
    expect(planPca(request(60_000, 784, 700, 'auto', roomy))).toMatchObject({ solver: 'exact', method: 'covariance' });
    expect(planPca(request(60_000, 784, 1, 'auto', roomy, true))).toMatchObject({ solver: 'exact', method: 'covariance' });
  });
});
