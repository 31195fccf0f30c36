import { DATA_SOURCES } from '@latentkit/data/node';
import type { CommandContext } from '../context.js';
import { declaredKinds } from '../plugins.js';
import { describeReducer, reducersHelp } from '../plugin-help.js';

/** `latentkit list`: every reducer with its capabilities and options (from its schema), and the data sources. */
export async function runList(ctx: CommandContext): Promise<void> {
  const registry = await ctx.registry();
  const plugins = declaredKinds(registry).map((k) => registry.get(k));
  const human = [reducersHelp(plugins), '', 'Data sources:', ...DATA_SOURCES.map((d) => `  ${d.name.padEnd(14)} ${d.description}`)].join('\n');
  ctx.print(human, { reducers: plugins.map(describeReducer), data: DATA_SOURCES });
}
