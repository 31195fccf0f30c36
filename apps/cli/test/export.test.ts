import { readFile, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '@latentkit/core';
import { cli, tempDir } from './helpers.js';

const LAYERS_MODEL_PLUGIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'packages', 'layers-model');

// export and import as a user runs them, on a tiny CSV so every fit takes a moment.
describe('latentkit export', () => {
  let dir: string;
  const run = async (args: string[]) => cli(args, { cwd: dir });
  const errorLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('latentkit:'));

  beforeAll(async () => {
    dir = await tempDir();
    const rng = createRng(4);
    const rows = Array.from({ length: 80 }, () => Array.from({ length: 12 }, () => rng.next().toFixed(4)).join(','));
    await writeFile(join(dir, 'rows.csv'), `${rows.join('\n')}\n`);
    for (const [reducer, out, extra] of [['dense-ae', 'ae', ['--opt', 'hidden=6', '--epochs', '1']], ['pca', 'pca', []]] as const) {
      const r = await run(['fit', '--data', 'csv:rows.csv', '--reducer', reducer, '--latent', '3', '--out', out, '--quiet', ...extra]);
      expect(errorLines(r.stderr), r.stderr).toEqual([]);
    }
  });

  it('writes an autoencoder as a LayersModel pair that imports back through the layers-model plugin with the same test MSE', async () => {
    const r = await run(['export', 'ae', '--out', 'ae-layers', '--json']);
    expect(errorLines(r.stderr)).toEqual([]);
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'dense-ae', format: 'layers' });
    expect((await readdir(join(dir, 'ae-layers'))).sort()).toEqual(['decoder', 'encoder', 'latentkit-export.json']);
    const fit = await run(['fit', '--data', 'csv:rows.csv', '--reducer', 'layers-model', '--plugin', LAYERS_MODEL_PLUGIN, '--opt', 'folder=ae-layers', '--latent', '3', '--out', 'imported', '--quiet']);
    expect(errorLines(fit.stderr), fit.stderr).toEqual([]);
    const original = JSON.parse(await readFile(join(dir, 'ae', 'metrics.json'), 'utf8')) as { test: { mse: number } };
    const imported = JSON.parse(await readFile(join(dir, 'imported', 'metrics.json'), 'utf8')) as { test: { mse: number } };
    expect(Math.abs(imported.test.mse - original.test.mse)).toBeLessThan(1e-6);
    // A model that offers no export format says so in one line.
    const none = await run(['export', 'imported', '--out', 'again', '--plugin', LAYERS_MODEL_PLUGIN]);
    expect(none.code).toBe(1);
    expect(errorLines(none.stderr)).toEqual(['latentkit: reducer "layers-model" offers no export format (its plugin declares none that fits this model)']);
  });

  it('writes PCA as JSON + NPY and refuses a format the model does not offer or an existing folder', async () => {
    const r = await run(['export', 'pca', '--out', 'pca-npy']);
    expect(r.code).toBe(0);
    expect((await readdir(join(dir, 'pca-npy'))).sort()).toEqual(['code_scale.npy', 'components.npy', 'explained_variance.npy', 'explained_variance_ratio.npy', 'mean.npy', 'pca.json']);
    const json = JSON.parse(await readFile(join(dir, 'pca-npy', 'pca.json'), 'utf8')) as { latentDim: number; components: number[][] };
    expect(json.latentDim).toBe(3);
    expect(json.components).toHaveLength(3);
    const layers = await run(['export', 'pca', '--out', 'pca-layers', '--format', 'layers']);
    expect(errorLines(layers.stderr)).toEqual(['latentkit: reducer "pca" cannot export as layers; it offers npy']);
    const again = await run(['export', 'pca', '--out', 'pca-npy']);
    expect(errorLines(again.stderr)).toEqual(['latentkit: pca-npy already exists; choose another --out or remove it first']);
  });
});
