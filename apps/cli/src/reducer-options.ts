import { LatentkitError, coerceOptionStrings, describeOptions, type ReducerPlugin } from '@latentkit/core';

/**
 * Shortcut flags (--epochs, --batch-size, --learning-rate, --corrupt) that set the reducer option of the same
 * name, for any plugin whose schema declares it; no reducer is special-cased. Everything else goes through --opt.
 */
export const OPTION_FLAGS = ['epochs', 'batchSize', 'learningRate', 'corrupt'] as const;

/** The option names a plugin's schema declares. */
export function optionNames(plugin: ReducerPlugin): string[] {
  return describeOptions(plugin.options).map((f) => f.name);
}

/** Option names are identifiers; these three would reach an object's prototype rather than an option. */
const OPTION_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const RESERVED_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * `--opt key=value` pairs as strings by key (a repeated key: the last wins), in an object without a prototype.
 * A key that is not an identifier, or names a prototype slot, is refused before anything else runs.
 */
export function parseOptPairs(pairs: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new LatentkitError('E_OPTION', `--opt expects key=value, got "${pair}"`);
    const key = pair.slice(0, eq).trim();
    if (RESERVED_NAMES.has(key)) throw new LatentkitError('E_OPTION', `--opt ${key}: "${key}" is not an option name (it is reserved)`);
    if (!OPTION_NAME.test(key)) throw new LatentkitError('E_OPTION', `--opt ${JSON.stringify(key)}: option names are letters, digits and _ (e.g. --opt learningRate=0.01)`);
    out[key] = pair.slice(eq + 1);
  }
  return out;
}

/** Shortcut flags and --opt pairs as raw strings by option name (an object without a prototype). */
export function rawOptions(flags: Readonly<Record<string, unknown>>, pairs: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const flag of OPTION_FLAGS) if (flags[flag] !== undefined) out[flag] = String(flags[flag]);
  return Object.assign(out, parseOptPairs(pairs));
}

/**
 * Turns the command line's option strings into the plugin's option values (typed by its schema; the registry
 * validates them). With `strict` a name the reducer lacks is refused rather than ignored, so `--epochs 5` on a
 * reducer without epochs is an error, not a silent no-op; with several reducers (compare, demo) each takes the
 * names it has.
 */
export function reducerOptions(plugin: ReducerPlugin, raw: Readonly<Record<string, string>>, { strict = true }: { strict?: boolean } = {}): Record<string, unknown> {
  const names = optionNames(plugin);
  const mine: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, value] of Object.entries(raw)) {
    if (names.includes(key)) mine[key] = value;
    else if (strict) throw new LatentkitError('E_OPTION', `reducer "${plugin.kind}" has no option "${key}" (options: ${names.join(', ') || 'none'})`);
  }
  return coerceOptionStrings(plugin.options, mine);
}

/** With several reducers: every given option must belong to at least one of them (a typo is not silently dropped). */
export function assertOptionsUsed(plugins: readonly ReducerPlugin[], raw: Readonly<Record<string, string>>): void {
  for (const key of Object.keys(raw)) {
    if (!plugins.some((p) => optionNames(p).includes(key))) {
      throw new LatentkitError('E_OPTION', `no reducer of ${plugins.map((p) => p.kind).join(', ')} has an option "${key}"`);
    }
  }
}

/** Parses --latent: a positive integer, or a fraction in (0,1) for reducers that accept one. */
export function parseLatent(raw: string): number {
  const v = Number(raw);
  if (!Number.isFinite(v) || v <= 0 || (v >= 1 && !Number.isInteger(v))) {
    throw new LatentkitError('E_OPTION', `--latent expects a positive integer (or a variance fraction in (0,1) for reducers that take one), got "${raw}"`);
  }
  return v;
}
