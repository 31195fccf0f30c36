import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseRunManifest } from '@latentkit/run';
import { cli, tempDir } from './helpers.js';

/** 300 rows × 16 features in [0, 1] with 3 labelled clusters: small enough for UMAP in a second or two. */
function clustersCsv(): string {
  let seed = 7;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const lines = [[...Array.from({ length: 16 }, (_, j) => `f${j}`), 'label'].join(',')];
  for (let i = 0; i < 300; i++) {
    const c = i % 3;
    lines.push([...Array.from({ length: 16 }, (_, j) => (0.2 + 0.3 * ((j + c * 5) % 3 === 0 ? 1 : 0) + 0.1 * rand()).toFixed(4)), c].join(','));
  }
  return lines.join('\n') + '\n';
}

/** The CLI decides by capabilities: an encode-only reducer (the built-in UMAP) fits, compares and scores; decoding commands refuse it in one line. */
describe('commands by capability, with the encode-only UMAP', () => {
  let dir: string;
  const data = ['--data', 'csv:clusters.csv', '--quiet'];

  beforeAll(async () => {
    dir = await tempDir();
    await writeFile(join(dir, 'clusters.csv'), clustersCsv());
    const r = await cli(['fit', ...data, '--reducer', 'umap', '--latent', '2', '--opt', 'nNeighbors=10', '--out', 'u'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => /reconstruction/.test(l))).toEqual(['  no reconstruction MSE: reducer "umap" does not support decode']);
  }, 120_000);

  it('fit saves the model; metrics say reconstruction is unavailable and record the schema-typed options', async () => {
    const m = JSON.parse(await readFile(join(dir, 'u', 'metrics.json'), 'utf8'));
    expect(m.reconstruction).toEqual({ available: false, reason: 'reducer "umap" does not support decode' });
    expect(m.test).toEqual({ n: 60 });
    expect(m.capabilities).toEqual(['encode']);
    expect(m.options.nNeighbors).toBe(10);
    const manifest = JSON.parse(await readFile(join(dir, 'u', 'manifest.json'), 'utf8'));
    expect(manifest.plugin.name).toBe('@latentkit/umap');
  });

  for (const [command, extra] of [
    ['eval', []],
    ['reconstruct', ['--png', 'r.png']],
    ['interpolate', ['--from', '0', '--to', '1', '--png', 'i.png']],
    ['sample', ['--png', 's.png']],
  ] as const) {
    it(`${command} refuses it in one E_UNSUPPORTED line naming reducer and capability`, async () => {
      const r = await cli([command, 'u', ...extra], { cwd: dir });
      expect(r.code).not.toBe(0);
      expect(r.stderr.trim().split('\n')).toEqual([`latentkit: reducer "umap" does not support decode (needed for ${command})`]);
    });
  }

  it('score writes density and combined scores, no reconstruction column', async () => {
    const r = await cli(['score', 'u', '--out', 'scores.csv', '--quiet'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const lines = (await readFile(join(dir, 'scores.csv'), 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('index,label,density,combined');
    expect(lines).toHaveLength(61);
    expect(Number(lines[1]!.split(',')[2])).not.toBeNaN();
  });

  it('compare keeps every row: UMAP gets codes, a scatter and density scores, but no reconstruction column', async () => {
    const r = await cli(['compare', ...data, '--reducers', 'pca,umap', '--latent', '2', '--opt', 'nNeighbors=10', '--out', 'cmp', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout).rows as { reducer: string; testMse?: number; varianceExplained?: number }[];
    expect(rows.map((x) => x.reducer)).toEqual(['pca', 'umap']);
    expect(rows[0]!.testMse).toBeGreaterThan(0);
    expect(rows[1]).not.toHaveProperty('testMse');
    expect(rows[1]).not.toHaveProperty('varianceExplained');
    const run = parseRunManifest(await readFile(join(dir, 'cmp', 'run.json'), 'utf8'));
    expect(run.models.map((m) => [m.kind, m.capabilities.join('+'), m.codes])).toEqual([['pca', 'encode+decode', true], ['umap', 'encode', true]]);
    expect(run.models[1]!.testMse).toBeUndefined();
    const latent = JSON.parse(await readFile(join(dir, 'cmp', 'umap', 'latent.json'), 'utf8'));
    expect(latent.scores.density).toHaveLength(60);
    expect(latent.scores.reconstruction).toBeUndefined();
    const files = await readdir(join(dir, 'cmp'));
    expect(files).toEqual(expect.arrayContaining(['latent-pca.svg', 'latent-umap.svg', 'compare.json']));
  }, 120_000);

  it('the human compare table shows a dash and one line saying why', async () => {
    const r = await cli(['compare', ...data, '--reducers', 'umap', '--latent', '2', '--out', 'cmp-human'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^umap\s+2\s+—\s+—/m);
    expect(r.stdout).toContain('reducer "umap" does not support decode: no reconstruction figures');
  }, 120_000);
});

describe('options come from each plugin\'s schema', () => {
  it('--opt values are typed by the schema and validated before any data is read', async () => {
    const dir = await tempDir();
    // The data file does not exist: the option error must come first.
    const r = await cli(['fit', '--data', 'csv:missing.csv', '--reducer', 'umap', '--opt', 'nNeighbors=1', '--out', 'x'], { cwd: dir });
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^latentkit: reducer "umap" options: nNeighbors: /);
    expect(await readdir(dir)).toEqual([]);
  });

  it('an --opt name the reducer lacks is refused naming its options; compare refuses a name no reducer has', async () => {
    const dir = await tempDir();
    const fit = await cli(['fit', '--reducer', 'pca', '--opt', 'solvr=exact', '--out', 'x'], { cwd: dir });
    expect(fit.stderr.trim()).toBe('latentkit: reducer "pca" has no option "solvr" (options: solver, whiten, oversamples, powerIterations)');
    const cmp = await cli(['compare', '--reducers', 'pca,umap', '--opt', 'epochs=2', '--out', 'x'], { cwd: dir });
    expect(cmp.stderr.trim()).toBe('latentkit: no reducer of pca, umap has an option "epochs"');
    expect(await readdir(dir)).toEqual([]);
  });

  it('--help lists every reducer with its capabilities and options (type, default, bounds)', async () => {
    const r = await cli(['fit', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}umap\s/m);
    expect(r.stdout).toContain('can: encode\n');
    expect(r.stdout).toMatch(/nNeighbors\s+integer, default 15, ≥ 2, ≤ 200/);
    expect(r.stdout).toMatch(/solver\s+"auto"\|"exact"\|"randomized", default "auto"/);
    expect(r.stdout).not.toMatch(/--solver|--backend/);
  });
});
