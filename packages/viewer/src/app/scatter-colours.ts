import { categoricalColor } from '@latentkit/viz';

/** Score colouring has this many bins, each a tenth of the scored points (deciles). */
export const SCORE_BINS = 10;
/** Viridis at ten even steps: dark = usual, yellow = most unusual; readable in greyscale and by most colour-blind readers. */
export const SCORE_PALETTE: readonly string[] = ['#440154', '#482878', '#3e4989', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6ece58', '#b5de2b', '#fde725'];
/** Points the run has no score for (the training points: scores are computed for test points). */
export const NO_SCORE_COLOUR = '#c9ced6';

export interface LegendEntry {
  readonly colour: string;
  readonly text: string;
}

/** Each point's colour category (an integer ≥ 0) by label, the palette and the legend. */
export interface LabelColouring {
  readonly categories: Float32Array;
  readonly colours: readonly string[];
  readonly legend: readonly LegendEntry[];
}

/**
 * Categories from labels: each distinct label value (in ascending order) gets the next palette colour, so
 * labels need not be 0..k−1. Without labels every point is category 0.
 */
export function labelColouring(n: number, labels: Int32Array | undefined, nameOf: (label: number) => string): LabelColouring {
  const categories = new Float32Array(n);
  if (!labels) return { categories, colours: [categoricalColor(0)], legend: [] };
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) seen.add(labels[i]!);
  const values = [...seen].sort((a, b) => a - b);
  const index = new Map(values.map((v, k) => [v, k]));
  for (let i = 0; i < n; i++) categories[i] = index.get(labels[i]!)!;
  // The palette follows the label value (as the report's figures do) so a digit keeps its colour across runs.
  const colours = values.map((v) => categoricalColor(v));
  return { categories, colours, legend: values.map((v, k) => ({ colour: colours[k]!, text: nameOf(v) })) };
}

/** Each point's score bin: 0 = no score, 1..SCORE_BINS = decile of the scored points' ranking. */
export interface ScoreColouring {
  readonly bins: Float32Array;
  /** Unscored points first, then the scored ones from least to most unusual: the most unusual draw on top. */
  readonly drawOrder: Int32Array;
  /** Score range of each bin, [low, high], index 0 = bin 1. */
  readonly ranges: readonly (readonly [number, number])[];
  readonly scored: number;
  readonly colours: readonly string[];
  readonly legend: readonly LegendEntry[];
}

/**
 * Bins test points by the rank of their score (deciles, so one extreme outlier does not wash out the rest),
 * the others into bin 0. `scores[k]` belongs to point `testIndices[k]`; non-finite scores count as none.
 */
export function scoreColouring(n: number, testIndices: Int32Array, scores: readonly number[], format: (v: number) => string = formatScore): ScoreColouring {
  const bins = new Float32Array(n);
  const scoredK: number[] = [];
  for (let k = 0; k < testIndices.length && k < scores.length; k++) if (Number.isFinite(scores[k]) && testIndices[k]! < n) scoredK.push(k);
  scoredK.sort((a, b) => scores[a]! - scores[b]!);
  const m = scoredK.length;
  const ranges: [number, number][] = [];
  for (let r = 0; r < m; r++) {
    const bin = Math.min(SCORE_BINS - 1, Math.floor((r * SCORE_BINS) / m));
    bins[testIndices[scoredK[r]!]!] = bin + 1;
    const v = scores[scoredK[r]!]!;
    if (!ranges[bin]) ranges[bin] = [v, v];
    else ranges[bin][1] = v;
  }
  const drawOrder = new Int32Array(n);
  let at = 0;
  for (let i = 0; i < n; i++) if (bins[i] === 0) drawOrder[at++] = i;
  for (const k of scoredK) drawOrder[at++] = testIndices[k]!;
  const colours = [NO_SCORE_COLOUR, ...SCORE_PALETTE];
  const legend: LegendEntry[] = [];
  if (m < n) legend.push({ colour: NO_SCORE_COLOUR, text: 'no score (training point)' });
  ranges.forEach((range, bin) => {
    if (range) legend.push({ colour: SCORE_PALETTE[bin]!, text: `${format(range[0])} to ${format(range[1])}` });
  });
  return { bins, drawOrder, ranges, scored: m, colours, legend };
}

/** Three significant digits, enough to tell bins apart. */
export function formatScore(v: number): string {
  return Math.abs(v) >= 1000 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(2) : v.toPrecision(3);
}
