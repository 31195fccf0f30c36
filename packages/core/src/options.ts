import { LatentkitError } from './errors.js';

/** Declares one reducer option so apps can parse, validate and document it without knowing the reducer. */
export type OptionSpec =
  | { readonly type: 'number'; readonly default?: number; readonly min?: number; readonly max?: number; readonly integer?: boolean; readonly description: string }
  | { readonly type: 'boolean'; readonly default?: boolean; readonly description: string }
  | { readonly type: 'string'; readonly default?: string; readonly choices?: readonly string[]; readonly description: string }
  | { readonly type: 'number[]'; readonly default?: readonly number[]; readonly description: string };

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

export type OptionValue = number | boolean | string | readonly number[];

/** Parses a command-line string for an option ("0.5", "true", "256,64"). */
export function parseOptionValue(name: string, spec: OptionSpec, raw: string): OptionValue {
  switch (spec.type) {
    case 'number': {
      const v = Number(raw);
      if (raw.trim() === '' || Number.isNaN(v)) throw new LatentkitError('E_OPTION', `option ${name} expects a number, got "${raw}"`);
      return v;
    }
    case 'boolean':
      if (raw === 'true' || raw === '1' || raw === '') return true;
      if (raw === 'false' || raw === '0') return false;
      throw new LatentkitError('E_OPTION', `option ${name} expects true or false, got "${raw}"`);
    case 'string':
      return raw;
    case 'number[]': {
      const parts = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
      const nums = parts.map(Number);
      if (nums.some((n) => Number.isNaN(n))) throw new LatentkitError('E_OPTION', `option ${name} expects comma-separated numbers, got "${raw}"`);
      return nums;
    }
  }
}

/**
 * Fills defaults and validates every given option against its spec; unknown names are refused
 * (a typo must not silently train the wrong model).
 */
export function resolveOptions(kind: string, specs: OptionSpecs, given: Readonly<Record<string, unknown>>): Record<string, OptionValue> {
  const out: Record<string, OptionValue> = {};
  for (const name of Object.keys(given)) {
    if (!(name in specs) && given[name] !== undefined) {
      throw new LatentkitError('E_OPTION', `reducer "${kind}" has no option "${name}" (options: ${Object.keys(specs).join(', ') || 'none'})`);
    }
  }
  for (const [name, spec] of Object.entries(specs)) {
    const v = given[name] ?? spec.default;
    if (v === undefined) continue;
    out[name] = checkValue(kind, name, spec, v);
  }
  return out;
}

function checkValue(kind: string, name: string, spec: OptionSpec, v: unknown): OptionValue {
  const bad = (why: string) => new LatentkitError('E_OPTION', `reducer "${kind}" option ${name}: ${why}`);
  switch (spec.type) {
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(`expected a finite number, got ${String(v)}`);
      if (spec.integer && !Number.isInteger(v)) throw bad(`expected an integer, got ${v}`);
      if (spec.min !== undefined && v < spec.min) throw bad(`must be ≥ ${spec.min}, got ${v}`);
      if (spec.max !== undefined && v > spec.max) throw bad(`must be ≤ ${spec.max}, got ${v}`);
      return v;
    case 'boolean':
      if (typeof v !== 'boolean') throw bad(`expected true or false, got ${String(v)}`);
      return v;
    case 'string':
      if (typeof v !== 'string') throw bad(`expected a string, got ${String(v)}`);
      if (spec.choices && !spec.choices.includes(v)) throw bad(`must be one of ${spec.choices.join(', ')}, got "${v}"`);
      return v;
    case 'number[]':
      if (!Array.isArray(v) || v.some((n) => typeof n !== 'number' || !Number.isFinite(n))) throw bad(`expected a list of numbers, got ${String(v)}`);
      return v as number[];
  }
}
