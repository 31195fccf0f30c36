import { LatentkitError, parseOptionValue, type ReducerPlugin } from '@latentkit/core';

/** Command-line flags that map onto a reducer option of the same meaning when the reducer declares it. */
export const OPTION_FLAGS: Readonly<Record<string, string>> = {
  epochs: 'epochs',
  batchSize: 'batchSize',
  learningRate: 'learningRate',
  backend: 'backend',
  solver: 'solver',
};

/**
 * Turns `--opt key=value` pairs and shortcut flags into the plugin's typed options. A flag the reducer
 * does not have is refused rather than ignored, so `--epochs 5` on PCA is an error, not a silent no-op.
 */
export function reducerOptionsFromFlags(
  plugin: ReducerPlugin,
  flags: Record<string, unknown>,
  pairs: readonly string[] = [],
  { strict = true }: { strict?: boolean } = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [flag, option] of Object.entries(OPTION_FLAGS)) {
    const raw = flags[flag];
    if (raw === undefined) continue;
    const spec = plugin.options[option];
    if (!spec) {
      // With several reducers (compare, demo) a flag applies to those that have the option.
      if (!strict) continue;
      throw new LatentkitError('E_OPTION', `reducer "${plugin.kind}" has no option "${option}"`);
    }
    out[option] = typeof raw === 'string' ? parseOptionValue(option, spec, raw) : raw;
  }
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new LatentkitError('E_OPTION', `--opt expects key=value, got "${pair}"`);
    const key = pair.slice(0, eq);
    const spec = plugin.options[key];
    if (!spec && !strict) continue;
    if (!spec) {
      throw new LatentkitError('E_OPTION', `reducer "${plugin.kind}" has no option "${key}" (options: ${Object.keys(plugin.options).join(', ') || 'none'})`);
    }
    out[key] = parseOptionValue(key, spec, pair.slice(eq + 1));
  }
  return out;
}

/** Parses --latent: a positive integer, or a fraction in (0,1) for reducers that accept one. */
export function parseLatent(raw: string): number {
  const v = Number(raw);
  if (!Number.isFinite(v) || v <= 0 || (v >= 1 && !Number.isInteger(v))) {
    throw new LatentkitError('E_OPTION', `--latent expects a positive integer (or a variance fraction in (0,1) for PCA), got "${raw}"`);
  }
  return v;
}
