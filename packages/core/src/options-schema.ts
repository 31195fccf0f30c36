import { LatentkitError } from './errors.js';
import type { StandardSchemaV1 } from './standard-schema.js';

/** A plugin's options: one Standard Schema object (zod, valibot, …) that also describes itself as JSON Schema. */
export type OptionsSchema<Output = Record<string, unknown>> = StandardSchemaV1<unknown, Output>;

/** One option as apps show it in --help and `latentkit list`, read from the schema's JSON Schema. */
export interface OptionField {
  readonly name: string;
  /** 'number' | 'integer' | 'boolean' | 'string' | 'array' | a union such as 'integer|"auto"'. */
  readonly type: string;
  readonly description?: string;
  readonly default?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly choices?: readonly unknown[];
}

type JsonSchema = Record<string, unknown>;
const JSON_SCHEMA_TARGET = 'draft-2020-12';

/** The JSON Schema of a plugin's options (their input side: what a user may pass). */
export function optionsJsonSchema(schema: OptionsSchema<unknown>): JsonSchema {
  const convert = schema['~standard'].jsonSchema;
  if (!convert) throw new LatentkitError('E_PLUGIN', `options schema from "${schema['~standard'].vendor}" cannot describe itself as JSON Schema (use zod ≥ 4.2 or a Standard JSON Schema library)`);
  return convert.input({ target: JSON_SCHEMA_TARGET });
}

/** Every option with its type, default, bounds and description, in declaration order. */
export function describeOptions(schema: OptionsSchema<unknown>): OptionField[] {
  const properties = (optionsJsonSchema(schema).properties ?? {}) as Record<string, JsonSchema>;
  return Object.entries(properties).map(([name, prop]) => fieldOf(name, prop));
}

function fieldOf(name: string, prop: JsonSchema): OptionField {
  const choices = Array.isArray(prop.enum) ? (prop.enum as unknown[]) : undefined;
  const alternatives = Array.isArray(prop.anyOf) ? (prop.anyOf as JsonSchema[]) : [prop];
  const type = alternatives.map((a) => ('const' in a ? JSON.stringify(a.const) : typeName(a))).join('|');
  const numeric = alternatives.find((a) => a.type === 'number' || a.type === 'integer') ?? {};
  return {
    name,
    type,
    ...(typeof prop.description === 'string' ? { description: prop.description } : {}),
    ...('default' in prop ? { default: prop.default } : {}),
    ...(typeof numeric.minimum === 'number' ? { minimum: numeric.minimum } : typeof numeric.exclusiveMinimum === 'number' ? { minimum: numeric.exclusiveMinimum } : {}),
    ...(typeof numeric.maximum === 'number' && numeric.maximum < Number.MAX_SAFE_INTEGER ? { maximum: numeric.maximum } : {}),
    ...(choices ? { choices } : {}),
  };
}

function typeName(s: JsonSchema): string {
  if (s.type === 'array') return `${typeName((s.items ?? {}) as JsonSchema)}[]`;
  return typeof s.type === 'string' ? s.type : 'value';
}

/**
 * Turns command-line strings ("0.5", "true", "16,32", "auto") into the JSON types the schema expects, so
 * `--opt epochs=5` arrives as a number. Unknown names are kept as strings: validation then names them.
 */
export function coerceOptionStrings(schema: OptionsSchema<unknown>, raw: Readonly<Record<string, string>>): Record<string, unknown> {
  const properties = (optionsJsonSchema(schema).properties ?? {}) as Record<string, JsonSchema>;
  const out: Record<string, unknown> = {};
  for (const [name, text] of Object.entries(raw)) {
    const prop = Object.hasOwn(properties, name) ? properties[name] : undefined;
    out[name] = prop ? coerce(prop, text) : text;
  }
  return out;
}

function coerce(prop: JsonSchema, text: string): unknown {
  const alternatives = Array.isArray(prop.anyOf) ? (prop.anyOf as JsonSchema[]) : [prop];
  for (const a of alternatives) if ('const' in a && String(a.const) === text) return a.const;
  for (const a of alternatives) {
    if ('const' in a) continue;
    const v = coerceTo(a, text);
    if (v !== undefined) return v;
  }
  return text;
}

function coerceTo(s: JsonSchema, text: string): unknown {
  const number = (t: string) => (t.trim() !== '' && Number.isFinite(Number(t)) ? Number(t) : undefined);
  switch (s.type) {
    case 'number':
    case 'integer':
      return number(text);
    case 'boolean':
      return text === 'true' || text === '' ? true : text === 'false' ? false : undefined;
    case 'array': {
      const items = text.split(',').map((t) => t.trim()).filter((t) => t !== '');
      const parsed = items.map((t) => coerceTo((s.items ?? {}) as JsonSchema, t) ?? t);
      return parsed;
    }
    case 'string':
      return text;
    default:
      return undefined;
  }
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Validates options against a plugin's schema: defaults filled, bounds checked, unknown names refused
 * (the schema should be strict). Every problem comes back in one E_OPTION line naming the reducer.
 */
export async function validateOptions<O>(kind: string, schema: OptionsSchema<O>, given: unknown): Promise<O> {
  if (given !== undefined && (typeof given !== 'object' || given === null || Array.isArray(given))) {
    throw new LatentkitError('E_OPTION', `reducer "${kind}": options must be an object, got ${given === null ? 'null' : Array.isArray(given) ? 'a list' : typeof given}`);
  }
  for (const key of Object.keys(given ?? {})) {
    if (FORBIDDEN_KEYS.has(key)) throw new LatentkitError('E_OPTION', `reducer "${kind}": "${key}" is not an option name`);
  }
  const result = await schema['~standard'].validate(given ?? {});
  if (result.issues) {
    const list = result.issues.map((i) => `${pathOf(i)}${i.message}`).join('; ');
    throw new LatentkitError('E_OPTION', `reducer "${kind}" options: ${list}`);
  }
  return result.value;
}

function pathOf(issue: StandardSchemaV1.Issue): string {
  const parts = (issue.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p));
  return parts.length ? `${parts.join('.')}: ` : '';
}
