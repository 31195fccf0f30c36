import { LatentkitError } from '@latentkit/core';

/** Axis ticks: evenly spaced round values covering [min, max]. */
export interface Ticks {
  min: number;
  max: number;
  step: number;
  values: number[];
}

/**
 * The "nice number" of Heckbert (Graphics Gems, 1990): a value of the form 1, 2, 5 or 10 × 10^k
 * near x — rounded to the nearest such value, or the smallest one ≥ x when round is false.
 */
export function niceNumber(x: number, round: boolean): number {
  const exponent = Math.floor(Math.log10(x));
  const fraction = x / 10 ** exponent;
  let nice: number;
  if (round) nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
  else nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * 10 ** exponent;
}

/** Decimal places that show a multiple of step exactly (steps are 1, 2 or 5 × 10^k). */
export function stepDecimals(step: number): number {
  return Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
}

/** Nice ticks enclosing [lo, hi] with about maxTicks values. */
export function niceTicks(lo: number, hi: number, maxTicks = 6): Ticks {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
    throw new LatentkitError('E_INPUT_VALUE', `axis range must be finite, got [${lo}, ${hi}]`);
  }
  if (lo > hi) [lo, hi] = [hi, lo];
  if (lo === hi) {
    // A flat range still needs an axis: widen it around the value.
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const range = niceNumber(hi - lo, false);
  const step = niceNumber(range / Math.max(1, maxTicks - 1), true);
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const decimals = stepDecimals(step);
  const values: number[] = [];
  // Multiply integer counts by the step (no accumulation) and round away binary noise like 0.30000000000000004.
  for (let k = first; k <= last; k++) values.push(cleanZero(Number((k * step).toFixed(decimals))));
  return { min: values[0]!, max: values[values.length - 1]!, step, values };
}

/**
 * Ticks for a log axis over [lo, hi] (both > 0). Short ranges end on 1-2-5 values and tick every one
 * of them; ranges wider than 2.5 decades end on powers of ten and tick decades only.
 */
export function logTicks(lo: number, hi: number): Ticks {
  if (!(lo > 0) || !(hi > 0) || !Number.isFinite(lo) || !Number.isFinite(hi)) {
    throw new LatentkitError('E_INPUT_VALUE', `log axis range must be positive and finite, got [${lo}, ${hi}]`);
  }
  if (lo > hi) [lo, hi] = [hi, lo];
  const firstDecade = Math.floor(Math.log10(lo) + 1e-9);
  const lastDecade = Math.ceil(Math.log10(hi) - 1e-9);
  const oneTwoFive: number[] = [];
  for (let e = firstDecade; e <= lastDecade; e++) for (const m of [1, 2, 5]) oneTwoFive.push(Number((m * 10 ** e).toPrecision(1)));
  let min = oneTwoFive.filter((v) => v <= lo * (1 + 1e-9)).pop() ?? 10 ** firstDecade;
  let max = oneTwoFive.find((v) => v >= hi * (1 - 1e-9)) ?? 10 ** lastDecade;
  if (min === max) {
    // A single value: step one 1-2-5 notch down and up.
    const k = oneTwoFive.indexOf(min);
    min = k > 0 ? oneTwoFive[k - 1]! : min / 2;
    max = k + 1 < oneTwoFive.length ? oneTwoFive[k + 1]! : Number((max * 2).toPrecision(1));
  }
  if (Math.log10(max / min) <= 2.5) {
    return { min, max, step: NaN, values: oneTwoFive.filter((v) => v >= min && v <= max) };
  }
  const decades = lastDecade - firstDecade;
  const every = Math.ceil(decades / 8);
  const values: number[] = [];
  for (let e = firstDecade; e <= lastDecade; e += every) values.push(Number((10 ** e).toPrecision(1)));
  return { min: 10 ** firstDecade, max: 10 ** lastDecade, step: NaN, values };
}

/** Tick label text: fixed decimals matching the step, exponent notation for very large or small values. */
export function formatTick(value: number, step: number): string {
  if (value === 0) return '0';
  const mag = Math.abs(value);
  if (Number.isNaN(step)) return mag >= 1e-3 && mag < 1e6 ? String(value) : Number(value.toPrecision(4)).toExponential();
  if (mag >= 1e6 || step < 1e-4) return Number(value.toPrecision(4)).toExponential();
  return value.toFixed(stepDecimals(step));
}

function cleanZero(v: number): number {
  return Object.is(v, -0) ? 0 : v;
}
