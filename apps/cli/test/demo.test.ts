import { readFile, readdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseRunManifest } from '@latentkit/run';
import { chromiumPath } from '@latentkit/tooling/browser';
import { decodePng } from '@latentkit/viz';
import { cli, tempDir } from './helpers.js';
import { esc } from '../src/report.js';

/**
 * `latentkit demo` on a small slice (300 digits, 1 epoch): every built-in reducer, the encode-only UMAP included,
 * gets what its capabilities allow; every artefact is written and the report opens cleanly.
 */
describe('latentkit demo', () => {
  let dir: string;
  let out: { [k: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

  beforeAll(async () => {
    dir = await tempDir();
    const r = await cli(['demo', '--out', 'demo', '--train-size', '300', '--test-size', '600', '--epochs', '1', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    out = JSON.parse(r.stdout);
    // Only the self-check's warnings may reach stderr (on 300 digits and 1 epoch a CNN may well lose to PCA).
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines.filter((l) => !l.startsWith('latentkit: warning: '))).toEqual([]);
    expect(lines).toHaveLength(out.warnings.length);
  }, 600_000);

  it('checks its own output: each warning is in the report, and it names a real failure', async () => {
    const html = await readFile(join(dir, 'demo', 'report.html'), 'utf8');
    expect(html).toContain('id="checks"');
    for (const w of out.warnings as { model: string; message: string }[]) {
      expect(html).toContain(esc(w.message));
      const row = out.compare.find((c: { reducer: string }) => c.reducer === w.model);
      // A baseline warning is true of the numbers printed beside it.
      if (row && /is not below/.test(w.message)) expect(row.testMse).toBeGreaterThanOrEqual(out.compare[0].testMse);
    }
  });

  it('draws figures with content: the interpolation and PCA sample grids are neither blank nor flat', async () => {
    for (const file of ['interpolation.png', 'samples-pca.png', 'compare.png']) {
      const png = decodePng(await readFile(join(dir, 'demo', file)));
      const grey: number[] = [];
      for (let i = 0; i < png.data.length; i += png.channels) grey.push(png.data[i]!);
      const bright = grey.filter((v) => v > 128).length / grey.length;
      const levels = new Set(grey).size;
      expect(bright, file).toBeGreaterThan(0.02);
      expect(levels, file).toBeGreaterThan(32);
    }
  });

  it('writes the run folder the viewer reads, with every model', async () => {
    const files = await readdir(join(dir, 'demo'));
    for (const f of ['report.html', 'run.json', 'compare.json', 'compare.png', 'interpolation.png', 'variance.svg', 'loss.svg', 'points', 'restoration.png', 'compression.svg', 'compression.md', 'prior-samples.png', 'samples-vae.png']) expect(files).toContain(f);
    const run = parseRunManifest(await readFile(join(dir, 'demo', 'run.json'), 'utf8'));
    expect(run.models.map((m) => `${m.kind}:${m.latentDim}`)).toEqual(['pca:16', 'dense-ae:16', 'vae:16', 'conv-ae:16', 'umap:16', 'conv-ae:8']);
    expect(run.models[4]).toMatchObject({ kind: 'umap', capabilities: ['encode'], codes: true, plugin: { name: '@latentkit/umap' } });
    expect(run.models[4]!.testMse).toBeUndefined();
    expect(run.data.n).toBe(300 + 600);
    const codes = await readFile(join(dir, 'demo', 'conv-ae-d8', 'codes.bin'));
    expect(codes.byteLength).toBe(run.data.n * 8 * 4);
    const latent = JSON.parse(await readFile(join(dir, 'demo', 'pca', 'latent.json'), 'utf8'));
    expect(latent.gaussian.dim).toBe(16);
    expect(latent.scores.combined).toHaveLength(600);
    // The encode-only model: codes and density scores, no reconstruction.
    const umap = JSON.parse(await readFile(join(dir, 'demo', 'umap', 'latent.json'), 'utf8'));
    expect(umap.scores.density).toHaveLength(600);
    expect(umap.scores.reconstruction).toBeUndefined();
    expect((await readFile(join(dir, 'demo', 'umap', 'codes.bin'))).byteLength).toBe(run.data.n * 16 * 4);
    expect(files).not.toContain('samples-umap.png');
    expect(files).toContain('samples-pca.png');
    // Autoencoders train on every core unless --workers says otherwise, or the step is too small to split: the
    // CNN's is split (up to 7 threads at batch 64), the dense AE's is not (ae-core's usefulWorkers).
    const convMetrics = JSON.parse(await readFile(join(dir, 'demo', 'conv-ae', 'metrics.json'), 'utf8'));
    expect(convMetrics.fitInfo.threads).toBe(Math.min(7, availableParallelism()));
    const denseMetrics = JSON.parse(await readFile(join(dir, 'demo', 'dense-ae', 'metrics.json'), 'utf8'));
    expect(denseMetrics.fitInfo.threads).toBe(1);
    expect(convMetrics.fitInfo.epochsRun).toBe(1);
  });

  it("compares the VAE's prior samples with a Gaussian on the CNN's codes, and scores the held-out digit by −ELBO", async () => {
    const rows = out.priorSamples as { source: string; images: number; meanConfidence: number; classEntropyBits: number; mmdToTest: number }[];
    expect(rows).toHaveLength(3);
    for (const r of rows) {
      expect(r.meanConfidence).toBeGreaterThan(0);
      expect(r.meanConfidence).toBeLessThanOrEqual(1);
      expect(r.classEntropyBits).toBeLessThanOrEqual(Math.log2(10) + 1e-9);
    }
    // Real digits are the reference: closer to the test digits than either kind of sample.
    const real = rows[2]!;
    expect(real.mmdToTest).toBeLessThan(Math.min(rows[0]!.mmdToTest, rows[1]!.mmdToTest));
    expect(Number.isFinite(out.testElbo)).toBe(true);
    // Rows in declared order: pca, dense-ae, vae, conv-ae, umap (asserted below).
    const vae = out.anomaly[2];
    expect(vae.likelihood).toBeGreaterThanOrEqual(0);
    expect(vae.likelihood).toBeLessThanOrEqual(1);
    expect(out.anomaly[0].likelihood).toBeUndefined();
    const png = decodePng(await readFile(join(dir, 'demo', 'prior-samples.png')));
    const grey = new Set<number>();
    for (let i = 0; i < png.data.length; i += png.channels) grey.add(png.data[i]!);
    expect(grey.size).toBeGreaterThan(32);
  });

  it('restores corrupted digits with every model that decodes, PCA projection above the noisy input', async () => {
    const rows = out.restoration as { corruption: string; input: number; models: Record<string, number> }[];
    expect(rows.map((r) => r.corruption)).toEqual(['noise:0.5', 'mask:0.25', 'downsample:2']);
    for (const r of rows) {
      expect(Object.keys(r.models)).toEqual(['pca', 'dense-ae', 'vae', 'conv-ae', 'conv-ae-d8']);
      for (const v of [r.input, ...Object.values(r.models)]) expect(Number.isFinite(v)).toBe(true);
    }
    // Projection onto 16 principal directions removes most of σ = 0.5 noise.
    expect(rows[0]!.models.pca).toBeGreaterThan(rows[0]!.input + 3);
    const png = decodePng(await readFile(join(dir, 'demo', 'restoration.png')));
    let bright = 0;
    for (let i = 0; i < png.data.length; i += png.channels) if (png.data[i]! > 128) bright++;
    expect(bright / (png.data.length / png.channels)).toBeGreaterThan(0.02);
  });

  it('compresses the test digits with every model that decodes, bits growing with b', () => {
    const rows = out.compression as { model: string; bits: number; bitsPerImage: number; psnr: number }[];
    const pca = rows.filter((r) => r.model === 'PCA d=16');
    expect(pca.map((r) => r.bits)).toEqual([4, 6, 8]);
    expect(pca[0]!.bitsPerImage).toBeLessThan(pca[2]!.bitsPerImage);
    for (const r of rows) expect(r.psnr).toBeGreaterThan(8);
  });

  it('reports anomaly AUCs for each reducer by what it can do, and the comparison rows', () => {
    expect(out.compare.map((r: { reducer: string }) => r.reducer)).toEqual(['pca', 'dense-ae', 'vae', 'conv-ae', 'umap']);
    expect(out.compare[4].testMse).toBeUndefined();
    expect(out.anomaly.map((r: { reducer: string }) => r.reducer)).toEqual(['pca', 'dense-ae', 'vae', 'conv-ae', 'umap']);
    for (const row of out.anomaly) {
      for (const auc of [row.reconstruction, row.density, row.combined].filter((a) => a !== undefined)) {
        expect(auc).toBeGreaterThanOrEqual(0);
        expect(auc).toBeLessThanOrEqual(1);
      }
    }
    expect(Object.keys(out.anomaly[4]).sort()).toEqual(['density', 'reducer']);
    // PCA's reconstruction error finds a held-out digit better than chance.
    expect(out.anomaly[0].reconstruction).toBeGreaterThan(0.5);
  });

  it('report.html opens offline in headless Chromium with no console errors and every picture loaded', async () => {
    const browser = await chromium.launch({ executablePath: await chromiumPath(), args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(join(dir, 'demo', 'report.html')).href, { waitUntil: 'load' });
      const images = await page.$$eval('img', (imgs) => imgs.map((i) => ({ ok: i.complete && i.naturalWidth > 0, src: i.src.slice(0, 22) })));
      expect(images.length).toBeGreaterThanOrEqual(6);
      for (const img of images) expect(img).toEqual({ ok: true, src: 'data:image/png;base64,' });
      expect(await page.$$eval('svg', (s) => s.length)).toBeGreaterThanOrEqual(6);
      const headings = await page.$$eval('h2', (h) => h.map((x) => x.textContent));
      expect(headings).toEqual(expect.arrayContaining(['Reconstructions at d=16', 'Explained variance', 'Interpolation', 'Sampling from a fitted latent density', 'Denoising, inpainting, super-resolution', 'Compression', 'Which latent density? The VAE samples its prior', 'Training curves', 'How it ran']));
      expect(errors).toEqual([]);
      // Self-contained: the only request is the file itself.
      expect(requests.filter((u) => !u.startsWith('data:'))).toHaveLength(1);
      await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  }, 120_000);
});
