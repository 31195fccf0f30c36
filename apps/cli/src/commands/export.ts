import { lstat, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { LatentkitError, type ModelExporter, type Reducer, type ReducerRegistry } from '@latentkit/core';
import { stageDir } from '@latentkit/node-fs';
import { loadReducer, type CommandContext } from '../context.js';

/**
 * `latentkit export DIR --out OUTDIR [--format layers|npy]`: writes a saved model in a format other tools open,
 * chosen by what the model offers (layers: a TF.js LayersModel pair; npy: JSON + .npy arrays). The folder
 * appears complete or not at all.
 */
export async function runExport(ctx: CommandContext, dir: string, flags: { format?: string; out: string }): Promise<void> {
  // Checked before any work: the formats are those the registered plugins declare.
  const registry = await ctx.registry();
  const formats = [...new Set(registry.list().flatMap((p) => (p.exporters ?? []).map((e) => e.format)))];
  if (flags.format !== undefined && !formats.includes(flags.format)) {
    throw new LatentkitError('E_OPTION', `--format expects ${formats.join(' or ') || 'a format some plugin declares (none do)'}, got "${flags.format}"`);
  }
  const target = resolve(ctx.cwd, flags.out);
  // Never replaced: an export folder holds files latentkit cannot tell from the user's own.
  if (await lstat(target).catch(() => undefined)) throw new LatentkitError('E_IO', `${flags.out} already exists; choose another --out or remove it first`);
  const reducer = await loadReducer(ctx, resolve(ctx.cwd, dir));
  try {
    const exporter = chooseExporter(registry, reducer, flags.format);
    const staged = await stageDir(target);
    try {
      const files = await exporter.export(reducer, async (path, bytes) => {
        const file = join(staged.path, path);
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, bytes);
      });
      await staged.commit();
      ctx.print(`wrote ${flags.out}: the ${reducer.kind} model as ${exporter.format} (${files.join(', ')})`, { out: target, kind: reducer.kind, format: exporter.format, files });
    } catch (e) {
      await staged.abort();
      throw e;
    }
  } finally {
    reducer.dispose();
  }
}

/** The first exporter (or the --format one) that the model's plugin declares and that offers this model. */
function chooseExporter(registry: ReducerRegistry, reducer: Reducer, format: string | undefined): ModelExporter {
  const offered = registry.exporters(reducer);
  if (offered.length === 0) {
    throw new LatentkitError('E_UNSUPPORTED', `reducer "${reducer.kind}" offers no export format (its plugin declares none that fits this model)`);
  }
  const chosen = format === undefined ? offered[0] : offered.find((e) => e.format === format);
  if (!chosen) throw new LatentkitError('E_UNSUPPORTED', `reducer "${reducer.kind}" cannot export as ${format}; it offers ${offered.map((e) => e.format).join(', ')}`);
  return chosen;
}
