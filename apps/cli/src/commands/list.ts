import { DATA_SOURCES } from '@latentkit/data/node';
import type { CommandContext } from '../context.js';

export async function runList(ctx: CommandContext): Promise<void> {
  const registry = await ctx.registry();
  const reducers = registry.list().map((p) => ({ kind: p.kind, description: p.description, options: p.options }));
  const human = [
    'Reducers:',
    ...reducers.map((r) => `  ${r.kind.padEnd(12)} ${r.description}`),
    '',
    'Data sources:',
    ...DATA_SOURCES.map((d) => `  ${d.name.padEnd(14)} ${d.description}`),
  ].join('\n');
  ctx.print(human, { reducers, data: DATA_SOURCES });
}
