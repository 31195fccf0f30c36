import { access, readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { hasCapability, LatentkitError, MANIFEST_FILE, mse, psnr, reconstruct, sliceRows, type Matrix } from '@latentkit/core';
import { corruptRows, formatCorruption, parseCorruption } from '@latentkit/ae-core';
import { writeFileAtomic } from '@latentkit/node-fs';
import { parseRunManifest, RUN_MANIFEST_FILE } from '@latentkit/run';
import { imageGridPng, type GridRow } from '@latentkit/viz';
import { assertDataFitsModel, checkDataFlags, displayName, loadData, loadReducer, readRunFacts, type CommandContext } from '../context.js';
import { checkOutputFile, parseIntFlag } from '../flags.js';
import { assertFolder, METRICS_FILE } from '../run-facts.js';
import { table } from '../format.js';

export interface RestoreFlags {
  readonly corrupt: string;
  readonly png: string;
  readonly n: string;
  readonly data?: string;
  readonly seed?: string;
}

/** One model's restoration of the corrupted test set. */
export interface RestoreRow {
  readonly dir: string;
  readonly reducer: string;
  readonly displayName: string;
  readonly latentDim: number;
  /** The corruption the model was trained to undo (its `corrupt` option), when its metrics.json records one. */
  readonly trainedOn?: string;
  readonly mse: number;
  readonly psnr: number;
}

const exists = (p: string) => access(p).then(() => true, () => false);

/** The model folders of DIR: itself (a model folder), the models of its run.json, in order. */
async function modelFolders(dir: string, shown: string): Promise<{ dirs: string[]; run?: { data: string; seed: number } }> {
  if (await exists(join(dir, MANIFEST_FILE))) return { dirs: [dir] };
  if (await exists(join(dir, RUN_MANIFEST_FILE))) {
    const run = parseRunManifest(await readFile(join(dir, RUN_MANIFEST_FILE), 'utf8'), join(shown, RUN_MANIFEST_FILE));
    return { dirs: run.models.map((m) => join(dir, m.dir)), run: { data: run.data.spec, seed: run.seed } };
  }
  // A folder of model folders without run.json (e.g. fits written side by side).
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const dirs: string[] = [];
  for (const name of entries) if (await exists(join(dir, name, MANIFEST_FILE))) dirs.push(join(dir, name));
  if (dirs.length === 0) throw new LatentkitError('E_INPUT_FORMAT', `${shown} holds no model: neither a model folder (${MANIFEST_FILE}) nor a run folder (${RUN_MANIFEST_FILE})`);
  return { dirs };
}

/** The `corrupt` option a model was fitted with, as its metrics.json records it (absent for reducers without one). */
async function trainedCorruption(dir: string): Promise<string | undefined> {
  try {
    const m = JSON.parse(await readFile(join(dir, METRICS_FILE), 'utf8')) as { options?: { corrupt?: unknown } };
    return typeof m.options?.corrupt === 'string' ? m.options.corrupt : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `latentkit restore DIR --corrupt SPEC --png FILE`: corrupts the test set (seeded), restores it with every model
 * of DIR as g(f(corrupted)) — for PCA that is the projection onto its subspace — and reports the PSNR (peak 1)
 * of the corrupted input and of each restoration over the whole test set. The PNG shows clean, corrupted and
 * one restored row per model. Models that cannot encode and decode are refused (one model) or skipped (a run).
 */
export async function runRestore(ctx: CommandContext, dir: string, flags: RestoreFlags): Promise<void> {
  const corruption = parseCorruption(flags.corrupt, '--corrupt');
  if (corruption.type === 'none') throw new LatentkitError('E_OPTION', '--corrupt: "none" leaves nothing to restore; give noise:σ, saltpepper:p, mask:f or downsample:k');
  const n = parseIntFlag('--n', flags.n, 1, 100);
  const given = checkDataFlags(flags);
  const out = await checkOutputFile('--png', flags.png, ctx.cwd);
  const target = resolve(ctx.cwd, dir);
  await assertFolder(target, 'folder');
  const { dirs, run } = await modelFolders(target, dir);
  const facts = run ?? (await readRunFacts(dirs[0]!));
  const seed = given.seed ?? facts.seed ?? 0;
  const data = await loadData(ctx, given.data ?? facts.data ?? 'mnist', seed);
  const imageShape = data.test.imageShape;
  if (!imageShape) throw new LatentkitError('E_SHAPE', `${data.spec} is not image data; restore draws images`);
  const clean = data.test.x;
  // The corruption's seed is the split's: the same command always shows the same corrupted digits.
  const corrupted = corruptRows(clean, corruption, { inputShape: imageShape, seed });
  const spec = formatCorruption(corruption);
  const registry = await ctx.registry();
  const rows: RestoreRow[] = [];
  const skipped: { dir: string; reason: string }[] = [];
  const grid: GridRow[] = [
    { label: 'X', images: sliceRows(clean, 0, n) },
    { label: `corrupted (${spec})`, images: sliceRows(corrupted, 0, n) },
  ];
  for (const modelDir of dirs) {
    const name = modelDir === target ? dir : modelDir.slice(target.length + 1);
    const reducer = await loadReducer(ctx, modelDir);
    try {
      const missing = (['encode', 'decode'] as const).filter((c) => !hasCapability(reducer, c));
      if (missing.length > 0) {
        const reason = `${reducer.kind} cannot ${missing.join(' or ')}`;
        if (dirs.length === 1) throw new LatentkitError('E_UNSUPPORTED', `restore needs a model that encodes and decodes; ${reason}`);
        skipped.push({ dir: name, reason });
        continue;
      }
      assertDataFitsModel(reducer, data.test, modelDir);
      ctx.progress.note(`restoring with ${name} …`);
      const restored = await reconstruct(reducer, corrupted, 'restore');
      const error = mse(clean, restored);
      const trainedOn = await trainedCorruption(modelDir);
      const label = displayName(registry, reducer.kind);
      rows.push({ dir: name, reducer: reducer.kind, displayName: label, latentDim: reducer.latentDim, ...(trainedOn ? { trainedOn } : {}), mse: error, psnr: psnr(error) });
      grid.push({ label: `g∘f (${label}, d=${reducer.latentDim}${trainedOn && trainedOn !== 'none' ? `, trained on ${trainedOn}` : ''})`, images: copyRows(restored, n) });
    } finally {
      reducer.dispose();
    }
  }
  if (rows.length === 0) throw new LatentkitError('E_UNSUPPORTED', `no model in ${dir} encodes and decodes (${skipped.map((s) => `${s.dir}: ${s.reason}`).join('; ')})`);
  ctx.progress.stop();
  await writeFileAtomic(out, imageGridPng(grid, { imageShape: [...imageShape] as [number, number, number] }));
  const inputMse = mse(clean, corrupted);
  const json = { data: data.spec, seed, corrupt: spec, n: clean.rows, png: out, corrupted: { mse: inputMse, psnr: psnr(inputMse) }, models: rows, ...(skipped.length ? { skipped } : {}) };
  const text = table(
    ['restored by', 'd', 'trained on', 'MSE', 'PSNR dB'],
    [['corrupted input', '', '', inputMse, psnr(inputMse).toFixed(2)], ...rows.map((r) => [`${r.dir} (${r.displayName})`, r.latentDim, r.trainedOn ?? '', r.mse, r.psnr.toFixed(2)])],
  );
  const notes = skipped.map((s) => `\nskipped ${s.dir}: ${s.reason}`).join('');
  ctx.print(`${data.spec} test set (n=${clean.rows}), corrupted by ${spec} (seed ${seed}):\n${text}${notes}\nwrote ${flags.png}: clean, corrupted and ${rows.length} restored row${rows.length === 1 ? '' : 's'} of ${Math.min(n, clean.rows)} images`, json);
}

/** The first n rows as their own matrix (the full restoration is freed after scoring). */
function copyRows(m: Matrix, n: number): Matrix {
  const s = sliceRows(m, 0, n);
  return { data: Float32Array.from(s.data), rows: s.rows, cols: s.cols };
}
