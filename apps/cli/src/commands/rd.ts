import { join, resolve } from 'node:path';
import { LatentkitError, subsetDataset, type ReducerRegistry } from '@latentkit/core';
import { DEFAULT_RD_BITS, brotliCoder, measureModel, pixelBaselines, rdMarkdown, rdSvg, type RdResult, type RdRow } from '@latentkit/compress/node';
import { stageDir, writeFileAtomic } from '@latentkit/node-fs';
import { displayName, inputFiles, loadData, type CommandContext } from '../context.js';
import { checkDataSpec, parseIntFlag, parseSeed } from '../flags.js';
import { assertOptionsUsed, rawOptions, reducerOptions } from '../reducer-options.js';
import { parseKinds } from './compare.js';
import { declaredKinds } from '../plugins.js';

export const RD_LATENTS = [2, 4, 8, 16, 32] as const;

export interface RdFlags {
  data: string;
  out: string;
  reducers?: string;
  latents: string;
  bits: string;
  seed: string;
  epochs?: string;
  trainSize?: string;
  opt?: string[];
  force?: boolean;
}

/** The registered reducers that can take part: those that encode and decode (decided by capability). */
export function compressingKinds(registry: ReducerRegistry): string[] {
  return declaredKinds(registry).filter((k) => (['encode', 'decode'] as const).every((c) => registry.get(k).capabilities.includes(c)));
}

function parseList(flag: string, raw: string, min: number, max: number): number[] {
  const values = raw.split(',').map((s) => s.trim()).filter(Boolean).map((s) => parseIntFlag(flag, s, min, max));
  if (values.length === 0) throw new LatentkitError('E_OPTION', `${flag} expects a comma-separated list of integers, e.g. 4,6,8`);
  return [...new Set(values)].sort((a, b) => a - b);
}

/**
 * Rate–distortion sweep: fits every reducer at every d on the training split, compresses the test split at
 * every b, and writes rd.json, rd.md (the table) and rd.svg (bits per image vs PSNR, PNG and gzip as
 * references). Each model is measured and disposed before the next is fitted.
 */
export async function runRd(ctx: CommandContext, flags: RdFlags): Promise<void> {
  const registry = await ctx.registry();
  const kinds = flags.reducers ? parseKinds(flags.reducers) : compressingKinds(registry);
  const plugins = kinds.map((k) => registry.get(k));
  for (const p of plugins) {
    if (!p.capabilities.includes('encode') || !p.capabilities.includes('decode')) {
      throw new LatentkitError('E_UNSUPPORTED', `reducer "${p.kind}" cannot compress: it needs encode and decode, it has ${p.capabilities.join(', ')}`);
    }
  }
  const latents = parseList('--latents', flags.latents, 1, 4096);
  const bits = parseList('--bits', flags.bits, 1, 8);
  const seed = parseSeed(flags.seed);
  const trainSize = flags.trainSize !== undefined ? parseIntFlag('--train-size', flags.trainSize, 10) : undefined;
  const dataSpec = checkDataSpec(flags.data);
  const raw = rawOptions(flags as unknown as Record<string, unknown>, flags.opt);
  assertOptionsUsed(plugins, raw);
  const options = (kind: string) => reducerOptions(registry.get(kind), raw, { strict: false });
  const settings = new Map<string, Awaited<ReturnType<ReducerRegistry['settings']>>>();
  for (const kind of kinds) for (const d of latents) settings.set(`${kind}:${d}`, await registry.settings(kind, d, options(kind)));

  const out = resolve(ctx.cwd, flags.out);
  const staged = await stageDir(out, { force: flags.force, protect: await inputFiles(ctx, dataSpec) });
  try {
    const full = await loadData(ctx, dataSpec, seed);
    // The training split fits the models and sets the quantiser ranges; --train-size keeps its first n rows.
    const data = trainSize !== undefined && trainSize < full.train.x.rows ? { ...full, train: subsetDataset(full.train, Array.from({ length: trainSize }, (_, i) => i)) } : full;
    const shape = data.test.imageShape;
    if (!shape || shape[2] !== 1) throw new LatentkitError('E_SHAPE', `${data.spec} is not grey image data; the PNG and gzip baselines need grey images`);
    const rows: RdRow[] = [];
    for (const kind of kinds) {
      for (const d of latents) {
        const { model } = await registry.fit(kind, data.train, settings.get(`${kind}:${d}`)!, { seed, signal: ctx.signal, workers: ctx.workers, onProgress: ctx.progress.listener(`fit ${kind} d=${d}`) });
        try {
          ctx.progress.note(`compressing with ${kind} d=${d} at b=${bits.join(',')} …`);
          rows.push(...(await measureModel({ name: displayName(registry, kind), reducer: model }, data.train.x, data.test.x, { bits, coder: brotliCoder })));
        } finally {
          model.dispose();
        }
      }
    }
    const result: RdResult = { rows, baselines: pixelBaselines(data.test.x, [...shape] as [number, number, number]), images: data.test.x.rows, coder: brotliCoder.id };
    const json = { data: data.spec, seed, trainRows: data.train.x.rows, latents, bits, options: Object.fromEntries(kinds.map((k) => [k, options(k)])), ...result };
    await writeFileAtomic(join(staged.path, 'rd.json'), JSON.stringify(json, (_k, v: unknown) => (v === Infinity ? 'Infinity' : v), 2) + '\n');
    const md = rdMarkdown(result);
    await writeFileAtomic(join(staged.path, 'rd.md'), `# Rate–distortion on ${data.spec} (${result.images} test images; models fitted on ${data.train.x.rows} training images; coder ${result.coder})\n\n${md}`);
    await writeFileAtomic(join(staged.path, 'rd.svg'), rdSvg(result, `Rate–distortion on ${data.spec}: bits per image vs PSNR`));
    await staged.commit();
    ctx.progress.stop();
    ctx.print(`${md}\nwrote ${flags.out}/: rd.json, rd.md, rd.svg`, json);
  } catch (e) {
    await staged.abort();
    throw e;
  }
}

export const RD_DEFAULT_BITS = DEFAULT_RD_BITS.join(',');
