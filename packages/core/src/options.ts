import { LatentkitError } from './errors.js';
import type { StandardSchemaV1 } from './standard-schema.js';

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

/**
 * A spec-v1 option table as a Standard Schema with its JSON Schema, so v1 plugins load through the v2
 * adapter and show in --help and `list` like any other.
 */
export function schemaFromOptionSpecs(kind: string, specs: OptionSpecs): StandardSchemaV1<unknown, Record<string, OptionValue>> {
  const properties: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) properties[name] = jsonSchemaOf(spec);
  const jsonSchema = { type: 'object', properties, additionalProperties: false };
  return {
    '~standard': {
      version: 1,
      vendor: 'latentkit-v1-options',
      validate: (value) => {
        try {
          return { value: resolveOptions(kind, specs, (value ?? {}) as Record<string, unknown>) };
        } catch (e) {
          return { issues: [{ message: (e as Error).message }] };
        }
      },
      jsonSchema: { input: () => structuredClone(jsonSchema) },
    },
  };
}

function jsonSchemaOf(spec: OptionSpec): Record<string, unknown> {
  const base = { description: spec.description, ...(spec.default !== undefined ? { default: spec.default } : {}) };
  switch (spec.type) {
    case 'number':
      return { ...base, type: spec.integer ? 'integer' : 'number', ...(spec.min !== undefined ? { minimum: spec.min } : {}), ...(spec.max !== undefined ? { maximum: spec.max } : {}) };
    case 'boolean':
      return { ...base, type: 'boolean' };
    case 'string':
      return { ...base, type: 'string', ...(spec.choices ? { enum: [...spec.choices] } : {}) };
    case 'number[]':
      return { ...base, type: 'array', items: { type: 'number' } };
  }
}
