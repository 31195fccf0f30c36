import { expNonPositive } from './exp-nonpositive.js';
import type { GaussianComponent } from './gaussian-component.js';

/**
 * Batched mixture E-step over rows held as a d×n column block (columns.ts). Each component scores all
 * rows in one pass (GaussianComponent.logPdfColumns), then every row gets the row-at-a-time formula's
 * log-sum-exp, terms added in component order.
 */

export interface MixtureLogTermsOut {
  /** log Σ_c w_c N(x_i; μ_c, Σ_c) per row. */
  readonly rowLogLikelihood: Float64Array;
  /** k×n: log w_c + log N(x_i; μ_c, Σ_c) at [c·n + i], overwritten with responsibilities when asked. */
  readonly terms: Float64Array;
}

/** Below this, exp underflows to exactly 0, so the call can be skipped without changing any result. */
const EXP_UNDERFLOW = -746;
/** Rows per block of the log-sum-exp passes. */
const BLOCK = 256;

/**
 * Fills `terms` (k×n) and `rowLogLikelihood` (n); with `responsibilities`, turns terms into posterior
 * probabilities in place. Returns the total log-likelihood (summed in row order).
 */
export function mixtureLogTermsOfColumns(
  components: readonly GaussianComponent[],
  logWeights: Float64Array,
  xt: Float64Array,
  n: number,
  out: MixtureLogTermsOut,
  responsibilities: boolean,
): number {
  const k = components.length;
  const { terms, rowLogLikelihood } = out;
  for (let c = 0; c < k; c++) components[c]!.logPdfColumns(xt, n, terms, c * n, logWeights[c]!);
  const max = new Float64Array(BLOCK);
  const sum = new Float64Array(BLOCK);
  let total = 0;
  // Rows go in blocks so each pass reads one component's terms contiguously; every row still adds its
  // terms in component order.
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const m = Math.min(BLOCK, n - i0);
    max.fill(-Infinity);
    sum.fill(0);
    for (let c = 0; c < k; c++) {
      const o = c * n + i0;
      for (let r = 0; r < m; r++) {
        const t = terms[o + r]!;
        if (t > max[r]!) max[r] = t;
      }
    }
    for (let c = 0; c < k; c++) {
      const o = c * n + i0;
      for (let r = 0; r < m; r++) {
        const e = terms[o + r]! - max[r]!;
        const p = e < EXP_UNDERFLOW ? 0 : expNonPositive(e);
        sum[r]! += p;
        // exp(t − max) is kept: the responsibility is exp(t − max)/Σ, one exp per term rather than two.
        if (responsibilities) terms[o + r] = p;
      }
    }
    for (let r = 0; r < m; r++) {
      // A row no component gives any density has log-likelihood −∞ (and NaN responsibilities).
      const lse = max[r] === -Infinity ? -Infinity : max[r]! + Math.log(sum[r]!);
      rowLogLikelihood[i0 + r] = lse;
      total += lse;
      sum[r] = max[r] === -Infinity ? NaN : 1 / sum[r]!;
    }
    if (responsibilities) {
      for (let c = 0; c < k; c++) {
        const o = c * n + i0;
        for (let r = 0; r < m; r++) terms[o + r]! *= sum[r]!;
      }
    }
  }
  return total;
}
