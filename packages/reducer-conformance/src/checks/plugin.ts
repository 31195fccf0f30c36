import { assertReducerPlugin, coerceOptionStrings, describeOptions, validateOptions, type OptionField } from '@latentkit/core';
import { expectLatentkitError, fail, sameJson } from '../assertions.js';
import type { CheckDefinition } from './definition.js';

export const pluginShape: CheckDefinition = {
  id: 'plugin-shape',
  name: 'plugin: a valid spec v2 plugin (kind, description, capabilities, options schema, package)',
  async run(ctx) {
    const p = assertReducerPlugin(ctx.candidate, 'the plugin under test');
    if (typeof p.description !== 'string' || p.description.trim() === '') fail('description must be a non-empty string (list and --help show it)');
    if (p.displayName !== undefined && (typeof p.displayName !== 'string' || p.displayName.trim() === '')) fail('displayName, when given, must be a non-empty string');
    if (new Set(p.capabilities).size !== p.capabilities.length) fail(`capabilities list a capability twice: ${p.capabilities.join(', ')}`);
    for (const flag of ['requiresImages', 'fractionalLatentDim'] as const) {
      if (p[flag] !== undefined && typeof p[flag] !== 'boolean') fail(`${flag}, when given, must be true or false`);
    }
    if (p.browserEntry !== undefined && (typeof p.browserEntry !== 'string' || !/^\.\/[\w./-]+$/.test(p.browserEntry))) {
      fail(`browserEntry must be a subpath export of the plugin's package such as "./browser", got ${JSON.stringify(p.browserEntry)}`);
    }
    if (p.package !== undefined && !/^(@[a-z0-9._~-]+\/)?[a-z0-9._~-]+$/.test(p.package.name)) fail(`package.name ${JSON.stringify(p.package.name)} is not an npm package name`);
  },
};

const UNKNOWN_OPTION = 'conformanceUnknownOption';

export const optionsSchema: CheckDefinition = {
  id: 'options-schema',
  name: 'options: the schema fills defaults, refuses an unknown key (E_OPTION) and describes itself for --help',
  async run(ctx) {
    const { kind, options: schema } = ctx.plugin;
    const defaults = (await validateOptions(kind, schema, {})) as unknown;
    if (typeof defaults !== 'object' || defaults === null || Array.isArray(defaults)) fail(`validating {} gave ${JSON.stringify(defaults)}, not an options object`);
    const values = defaults as Record<string, unknown>;
    const fields = describeOptions(schema);
    const described = new Set(fields.map((f) => f.name));
    for (const f of fields) {
      if (!f.description?.trim()) fail(`option "${f.name}" has no description (--help and list show one per option)`);
      if ('default' in f && !sameJson(values[f.name], f.default)) {
        fail(`option "${f.name}" declares default ${JSON.stringify(f.default)}, but validating {} gave ${JSON.stringify(values[f.name])}`);
      }
    }
    for (const key of Object.keys(values)) if (!described.has(key)) fail(`validating {} gives option "${key}", which describeOptions() does not list`);
    await expectLatentkitError(`options with an unknown key "${UNKNOWN_OPTION}"`, () => validateOptions(kind, schema, { [UNKNOWN_OPTION]: 1 }), ['E_OPTION']);
    for (const f of fields) await expectDefaultSurvivesCommandLine(kind, schema, f);
  },
};

/** A default written as `--opt name=value` must parse back to itself, or the CLI could not pass it. */
async function expectDefaultSurvivesCommandLine(kind: string, schema: Parameters<typeof validateOptions>[1], f: OptionField): Promise<void> {
  const text = commandLineText(f.default);
  if (text === undefined) return;
  const parsed = (await validateOptions(kind, schema, coerceOptionStrings(schema, { [f.name]: text }))) as Record<string, unknown>;
  if (!sameJson(parsed[f.name], f.default)) fail(`--opt ${f.name}=${text} parses to ${JSON.stringify(parsed[f.name])}, not its default ${JSON.stringify(f.default)}`);
}

function commandLineText(v: unknown): string | undefined {
  const scalar = (x: unknown) => typeof x === 'number' || typeof x === 'string' || typeof x === 'boolean';
  if (scalar(v)) return String(v);
  if (Array.isArray(v) && v.every(scalar)) return v.join(',');
  return undefined;
}
