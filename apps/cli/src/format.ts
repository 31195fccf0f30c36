import type { FitMetrics } from '@latentkit/run';

export function formatMetrics(m: FitMetrics): string {
  const lines = [`${m.reducer} d=${m.latentDim} on ${m.data} (seed ${m.seed})`, `  fit        ${m.fitSeconds.toFixed(2)} s, ${m.parameters.toLocaleString('en')} parameters`];
  if (m.reconstruction.available && m.train.mse !== undefined && m.test.mse !== undefined) {
    lines.push(`  train MSE  ${m.train.mse.toFixed(6)} (n=${m.train.n})`, `  test MSE   ${m.test.mse.toFixed(6)} (n=${m.test.n})`);
  } else if (!m.reconstruction.available) {
    lines.push(`  no reconstruction MSE: ${m.reconstruction.reason}`);
  }
  if (m.explainedVarianceRatio) {
    const sum = m.explainedVarianceRatio.reduce((a, b) => a + b, 0);
    lines.push(`  explained variance ratio Σ ${sum.toFixed(5)}`);
  }
  return lines.join('\n');
}

/** A cell that may be missing (a reducer without that capability): shown as a dash. */
export const MISSING = '—';

/** A plain text table with right-aligned numeric columns. */
export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [header, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : c)))];
  const widths = header.map((_, j) => Math.max(...cells.map((r) => String(r[j]).length)));
  return cells.map((r, i) => r.map((c, j) => (j === 0 || i === 0 ? String(c).padEnd(widths[j]!) : String(c).padStart(widths[j]!))).join('  ')).join('\n');
}

function formatNumber(v: number): string {
  if (Number.isInteger(v)) return v.toLocaleString('en');
  return Math.abs(v) < 0.01 ? v.toExponential(3) : v.toFixed(4);
}
