import { describeOptions, type Capability, type OptionField, type PluginPackage, type ReducerPlugin } from '@latentkit/core';

/** One reducer as `latentkit list` and --help show it: everything comes from the plugin's declarations. */
export interface ReducerDescription {
  readonly kind: string;
  readonly displayName: string;
  readonly description: string;
  readonly capabilities: readonly Capability[];
  readonly package?: PluginPackage;
  readonly requiresImages: boolean;
  readonly fractionalLatentDim: boolean;
  readonly options: readonly OptionField[];
  /** Set when the plugin's schema cannot describe itself (its options still validate). */
  readonly optionsError?: string;
}

export function describeReducer(p: ReducerPlugin): ReducerDescription {
  let options: OptionField[] = [];
  let optionsError: string | undefined;
  try {
    options = describeOptions(p.options);
  } catch (e) {
    optionsError = (e as Error).message;
  }
  return {
    kind: p.kind,
    displayName: p.displayName ?? p.kind,
    description: p.description,
    capabilities: [...p.capabilities],
    ...(p.package ? { package: p.package } : {}),
    requiresImages: p.requiresImages === true,
    fractionalLatentDim: p.fractionalLatentDim === true,
    options,
    ...(optionsError ? { optionsError } : {}),
  };
}

function optionLine(o: OptionField, width: number): string {
  const facts = [o.choices ? o.choices.map((c) => JSON.stringify(c)).join('|') : o.type];
  if (o.default !== undefined) facts.push(`default ${JSON.stringify(o.default)}`);
  if (o.minimum !== undefined) facts.push(`≥ ${o.minimum}`);
  if (o.maximum !== undefined) facts.push(`≤ ${o.maximum}`);
  return `      ${o.name.padEnd(width)}  ${facts.join(', ')}${o.description ? `  ${o.description}` : ''}`;
}

/** Lines for one reducer: kind, description, capabilities, then one line per option. */
export function formatReducer(d: ReducerDescription): string[] {
  const width = Math.max(8, ...d.options.map((o) => o.name.length));
  const from = d.package ? `  (${d.package.name}@${d.package.version})` : '';
  return [
    `  ${d.kind.padEnd(12)} ${d.description}${from}`,
    `      can: ${d.capabilities.join(', ')}${d.requiresImages ? '; needs image data' : ''}${d.fractionalLatentDim ? '; --latent may be a variance fraction' : ''}`,
    ...(d.optionsError ? [`      options: cannot be listed (${d.optionsError})`] : d.options.length ? d.options.map((o) => optionLine(o, width)) : ['      (no options)']),
  ];
}

/** The reducers block of --help and `latentkit list`. */
export function reducersHelp(plugins: readonly ReducerPlugin[]): string {
  return ['Reducers (set an option with --opt name=value):', ...plugins.flatMap((p) => formatReducer(describeReducer(p)))].join('\n');
}
