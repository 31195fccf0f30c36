import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromiumPath } from '@latentkit/tooling/browser';
import { canvasPixels, interpolationEnds } from '@latentkit/tooling/browser-page';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveRun, type RunServer } from '@latentkit/viewer/node';
import { buildViewer, PACKAGE_DIR } from './build-viewer.js';
import { createFixtureRun } from './fixture-run.js';
import { createVaeRun, rowId } from './vae-run.js';
import { SOFTWARE_GL_ARGS } from './software-gl.js';

const ARTIFACTS = join(PACKAGE_DIR, 'test-artifacts');
const RUN_DIR = join(ARTIFACTS, 'fixture-run');
// All 10,000 MNIST digits with a PCA model only: measures the scatter at full size cheaply.
const BIG_RUN_DIR = join(ARTIFACTS, 'fixture-run-10k');
// A VAE (capability "sample") and PCA on 400 digits whose rows carry ids: prior sampling and ids in the viewer.
const VAE_RUN_DIR = join(ARTIFACTS, 'vae-run');

function meanAbsDiff(a: readonly number[], b: readonly number[]): number {
  expect(a.length).toBe(b.length);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return s / a.length;
}

describe('web viewer in Chromium', () => {
  let server: RunServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const figures: Record<string, unknown> = {};

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    // Reusing the fixture is a local convenience; CI always builds it from the packages.
    const exists = (dir: string) => stat(join(dir, 'run.json')).then(() => true, () => false);
    const reuse = process.env.LATENTKIT_WEB_REUSE_FIXTURE === '1' && (await exists(RUN_DIR)) && (await exists(BIG_RUN_DIR)) && (await exists(VAE_RUN_DIR));
    const makeFixtures = async () => {
      const small = await createFixtureRun(RUN_DIR);
      const big = await createFixtureRun(BIG_RUN_DIR, { trainPoints: 8000, testPoints: 2000, kinds: ['pca'] });
      const vae = await createVaeRun(VAE_RUN_DIR);
      figures.fixtureSeconds = { small: small.seconds, big: big.seconds, vae: vae.seconds, perModel: small.manifest.info?.secondsPerModel };
    };
    await Promise.all([reuse ? Promise.resolve() : makeFixtures(), buildViewer()]);
    server = await serveRun({ runDir: RUN_DIR });
    browser = await chromium.launch({
      executablePath: await chromiumPath(),
      args: SOFTWARE_GL_ARGS,
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  });

  afterAll(async () => {
    await writeFile(join(ARTIFACTS, 'web-figures.json'), JSON.stringify(figures, null, 2));
    console.log('web viewer figures', JSON.stringify(figures));
    await browser?.close();
    await server?.close();
  });

  it('opens the run and draws the scatter', async () => {
    await page.goto(server.url);
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForFunction(() => window.latentkitViewer?.timings.scatterFirstRenderMs !== undefined);
    figures.points = await page.evaluate(() => window.latentkitViewer!.run.n);
    figures.scatterFirstRenderMs = await page.evaluate(() => window.latentkitViewer!.timings.scatterFirstRenderMs);
    const info = await page.textContent('#run-info');
    expect(info).toMatch(/points/);
    // The scatter has drawn coloured points (WebGL's picture, copied to the canvas; transparent where empty).
    const { coloured, total } = await page.$eval('canvas.scatter', (c) => {
      const canvas = c as HTMLCanvasElement;
      const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
      return { coloured: n, total: d.length / 4 };
    });
    expect(coloured).toBeGreaterThan(100);
    expect(coloured).toBeLessThan(total / 2);
    expect(await page.textContent('#scatter-count')).toBe(`All ${(figures.points as number).toLocaleString('en-US')} points drawn.`);
    await page.screenshot({ path: join(ARTIFACTS, 'viewer-1280x800.png') });
  });

  it('shows the hovered point as an image in a tooltip', async () => {
    const pos = await page.evaluate(() => window.latentkitViewer!.pointPosition(7)!);
    await page.mouse.move(pos.x, pos.y);
    await page.waitForSelector('#tooltip:not([hidden])');
    const text = (await page.textContent('#tooltip'))!;
    const shown = Number(/#(\d+)/.exec(text)![1]);
    // The tooltip shows exactly the hovered point's stored pixels.
    const expected = await page.evaluate((i) => {
      const run = window.latentkitViewer!.run;
      return Array.from(run.images.subarray(i * run.features, (i + 1) * run.features));
    }, shown);
    const pixels = await canvasPixels(page, '#tooltip canvas');
    expect(pixels.filter((_, k) => k % 4 === 0)).toEqual(expected);
    await page.screenshot({ path: join(ARTIFACTS, 'viewer-hover.png') });
  });

  it('selects two points and decodes live as the slider moves', async () => {
    const [a, b] = await page.evaluate(() => {
      // Two points of different labels, far apart on screen.
      const v = window.latentkitViewer!;
      const labels = v.run.labels!;
      const first = 0;
      let second = 1;
      for (let i = 1; i < v.run.n; i++) if (labels[i] !== labels[first]) { second = i; break; }
      return [v.pointPosition(first)!, v.pointPosition(second)!];
    });
    await page.mouse.click(a.x, a.y);
    await page.mouse.click(b.x, b.y);
    // The WebGL scatter reports clicks asynchronously (after the frame); wait for the second one.
    await page.waitForFunction(() => window.latentkitViewer!.selection.indices.length === 2);
    const selected = await page.evaluate(() => [...window.latentkitViewer!.selection.indices]);
    expect(selected).toHaveLength(2);
    await page.waitForSelector('#interp-output[data-alpha="0.50"]');
    await page.waitForSelector('#interp-strip canvas');

    const { atA, atB } = await interpolationEnds(page);
    expect(meanAbsDiff(atA, atB)).toBeGreaterThan(1);

    // α = 1 decodes B's own code: the same image as B's reconstruction by that model.
    const model = await page.$eval('#interp-model', (s) => (s as HTMLSelectElement).selectedOptions[0]!.textContent!);
    const caption = model.replace(/ \(d=(\d+)\)$/, ' d=$1');
    await page.waitForSelector(`#reconstructions canvas[aria-label="reconstruction by ${caption}"]`);
    const reconstructed = await canvasPixels(page, `#reconstructions canvas[aria-label="reconstruction by ${caption}"]`);
    expect(meanAbsDiff(atB, reconstructed)).toBeLessThan(1);

    // Arrow keys step α by 0.01; time each decode.
    await page.evaluate(() => (window.latentkitViewer!.timings.interpolationDecodeMs.length = 0));
    await page.keyboard.press('Home');
    await page.waitForSelector('#interp-output[data-alpha="0.00"]');
    for (let s = 1; s <= 20; s++) {
      await page.keyboard.press('ArrowRight');
      await page.waitForSelector(`#interp-output[data-alpha="${(s / 100).toFixed(2)}"]`);
    }
    const t = await page.evaluate(() => ({ ms: [...window.latentkitViewer!.timings.interpolationDecodeMs], model: window.latentkitViewer!.timings.interpolationModel }));
    const sorted = [...t.ms].sort((x, y) => x - y);
    figures.interpolation = { model: t.model, steps: t.ms.length, medianDecodeMs: sorted[Math.floor(sorted.length / 2)], maxDecodeMs: sorted[sorted.length - 1] };
    await page.screenshot({ path: join(ARTIFACTS, 'viewer-interpolation.png'), fullPage: true });
  });

  it('samples a grid from the latent density', async () => {
    await page.selectOption('#sample-size', '4');
    await page.click('#sample-button');
    await page.waitForFunction(() => document.querySelectorAll('#sample-grid canvas').length === 16);
    const first = await canvasPixels(page, '#sample-grid canvas:nth-child(1)');
    const second = await canvasPixels(page, '#sample-grid canvas:nth-child(2)');
    expect(meanAbsDiff(first, second)).toBeGreaterThan(0);
    // Re-draw draws new samples (the seed advances).
    await page.click('#sample-redraw');
    await page.waitForSelector('#sample-grid[data-seed="1"]');
    expect(meanAbsDiff(first, await canvasPixels(page, '#sample-grid canvas:nth-child(1)'))).toBeGreaterThan(0);
  });

  it('corrupts the selected rows and restores them, with PSNRs in a sensible order', async () => {
    // Two points are selected (the interpolation test); PCA restores σ = 0.5 noise (the default) by projection.
    expect(await page.evaluate(() => window.latentkitViewer!.selection.indices.length)).toBe(2);
    await page.selectOption('#restore-model', 'pca');
    expect(await page.$eval('#restore-corruption', (s) => (s as HTMLSelectElement).value)).toBe('noise');
    expect(await page.$eval('#restore-parameter', (i) => (i as HTMLInputElement).value)).toBe('0.5');
    const result = () => page.$eval('#restore-psnr', (p) => ({ spec: (p as HTMLElement).dataset.spec, corrupted: Number((p as HTMLElement).dataset.psnrCorrupted), restored: Number((p as HTMLElement).dataset.psnrRestored), text: p.textContent }));
    const done = (spec: string, seed = '0') => page.waitForFunction(([sp, sd]) => {
      const p = document.getElementById('restore-psnr')!;
      return p.dataset.spec === sp && document.querySelector('#restoration-panel')!.getAttribute('data-state') === 'done' && (document.getElementById('restore-seed') as HTMLInputElement).value === sd;
    }, [spec, seed] as const);
    await done('noise:0.5');
    const row = await page.$eval('#restore-rows [data-row]', (r) => (r as HTMLElement).dataset.row!);
    const clean = await canvasPixels(page, `#restore-rows canvas[aria-label="clean #${row}"]`);
    const noisy = await canvasPixels(page, `#restore-rows canvas[aria-label="corrupted #${row}"]`);
    expect(meanAbsDiff(clean, noisy)).toBeGreaterThan(30);
    const atNoise = await result();
    // Noise at σ = 0.5 leaves ~8 dB; the projection onto 16 principal components recovers several dB of it.
    expect(atNoise.corrupted).toBeLessThan(12);
    expect(atNoise.restored).toBeGreaterThan(atNoise.corrupted + 2);
    expect(atNoise.text).toMatch(/^PSNR over 2 rows \(peak 1\): corrupted \d+\.\d\d dB, restored by PCA d=16 \d+\.\d\d dB\.$/);
    figures.restoreNoise05 = atNoise;
    await (await page.$('#restoration-panel'))!.screenshot({ path: join(ARTIFACTS, 'viewer-restore-noise.png') });
    // The element screenshot scrolled the page; later tests hover the scatter at its client position.
    await page.evaluate(() => window.scrollTo(0, 0));

    // Another seed draws other noise.
    await page.fill('#restore-seed', '1');
    await page.dispatchEvent('#restore-seed', 'change');
    await done('noise:0.5', '1');
    expect(meanAbsDiff(noisy, await canvasPixels(page, `#restore-rows canvas[aria-label="corrupted #${row}"]`))).toBeGreaterThan(10);

    // A mask: the corrupted row is the clean one with a square of zeros; its default f = 0.25.
    await page.selectOption('#restore-corruption', 'mask');
    await done('mask:0.25', '1');
    const masked = await canvasPixels(page, `#restore-rows canvas[aria-label="corrupted #${row}"]`);
    const zeroed = masked.filter((v, k) => k % 4 === 0 && v === 0 && clean[k]! > 0).length;
    expect(zeroed).toBeGreaterThan(0);
    expect(masked.filter((v, k) => k % 4 === 0 && v !== clean[k]! && v !== 0)).toEqual([]);

    // None: corrupted is clean (infinite PSNR); a bad parameter is one line naming the option.
    await page.selectOption('#restore-corruption', 'none');
    await done('none', '1');
    expect(await canvasPixels(page, `#restore-rows canvas[aria-label="corrupted #${row}"]`)).toEqual(clean);
    expect((await result()).text).toContain('corrupted ∞ dB');
    await page.selectOption('#restore-corruption', 'noise');
    await page.fill('#restore-parameter', '-1');
    await page.dispatchEvent('#restore-parameter', 'change');
    await page.waitForSelector('#restore-psnr .error');
    expect(await page.textContent('#restore-psnr .error')).toMatch(/^corrupt: "noise:-1" needs a noise level σ in \(0, 10\]/);
  });

  it('lists anomalous test points with images', async () => {
    const items = await page.$$('#anomaly-list li canvas');
    expect(items.length).toBeGreaterThan(0);
    const scores = await page.$$eval('#anomaly-list figcaption', (caps) => caps.map((c) => Number(c.textContent!.split(' ')[0])));
    expect(scores).toEqual([...scores].sort((x, y) => y - x));
  });

  it('starts a training run in a worker and cancels it', async () => {
    await page.selectOption('#train-kind', 'dense-ae');
    await page.fill('#train-opt-epochs', '200');
    await page.click('#train-start');
    await page.waitForFunction(() => /epoch/.test(document.getElementById('train-status')!.textContent ?? ''), undefined, { timeout: 60_000 });
    const progress = await page.$eval('#train-progress', (p) => (p as HTMLProgressElement).value);
    expect(progress).toBeGreaterThanOrEqual(0);
    // The page stays responsive while the worker trains: hovering still updates the tooltip. (Clicking Train
    // scrolled the page down to its panel; the scatter is at the top.)
    await page.evaluate(() => window.scrollTo(0, 0));
    const pos = await page.evaluate(() => window.latentkitViewer!.pointPosition(3)!);
    await page.mouse.move(pos.x, pos.y);
    await page.waitForSelector('#tooltip:not([hidden])');
    await page.click('#train-cancel');
    await page.waitForFunction(() => document.getElementById('train-status')!.textContent === 'Training cancelled.', undefined, { timeout: 30_000 });
    expect(await page.$eval('#train-start', (b) => (b as HTMLButtonElement).disabled)).toBe(false);
  });

  it('finishes a training run in the worker and previews its reconstructions', async () => {
    await page.selectOption('#train-kind', 'pca');
    await page.fill('#train-d', '4');
    await page.click('#train-start');
    await page.waitForFunction(() => /^Trained pca d=4/.test(document.getElementById('train-status')!.textContent ?? ''), undefined, { timeout: 60_000 });
    expect(await page.$$eval('#train-preview canvas', (c) => c.length)).toBe(16);
    expect(await page.$eval('#train-progress', (p) => (p as HTMLProgressElement).value)).toBe(1);
  });

  it('stacks the panels on a narrow window', async () => {
    await page.setViewportSize({ width: 600, height: 900 });
    const lefts = await page.$$eval('section.panel', (s) => s.map((e) => Math.round(e.getBoundingClientRect().left)));
    expect(new Set(lefts).size).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'viewer-narrow.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('draws 10,000 points and pans and zooms them', async () => {
    const big = await serveRun({ runDir: BIG_RUN_DIR });
    const bigPage = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    bigPage.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console (10k): ${m.text()}`);
    });
    bigPage.on('pageerror', (e) => errors.push(`pageerror (10k): ${e.message}`));
    try {
      // The ?run= parameter (static-site mode) pointing at the same run the server would default to.
      await bigPage.goto(`${big.url}?run=${encodeURIComponent(`${big.url}run/`)}`);
      await bigPage.waitForFunction(() => window.latentkitViewer?.timings.scatterFirstRenderMs !== undefined);
      expect(await bigPage.evaluate(() => window.latentkitViewer!.run.n)).toBe(10_000);
      figures.scatter10k = await bigPage.evaluate(() => ({
        domContentLoadedMs: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd,
        runLoadedMs: window.latentkitViewer!.timings.runLoadedMs, firstRenderMs: window.latentkitViewer!.timings.scatterFirstRenderMs }));
      const before = await bigPage.evaluate(() => window.latentkitViewer!.pointPosition(0)!);
      // Zooming in around the plot's centre pushes a point away from the centre.
      const box = (await bigPage.$('canvas.scatter'))!.boundingBox();
      const b = (await box)!;
      const centre = { x: b.x + b.width / 2, y: b.y + b.height / 2 };
      await bigPage.mouse.move(centre.x, centre.y);
      await bigPage.mouse.wheel(0, -400);
      await bigPage.waitForFunction((p) => {
        const now = window.latentkitViewer!.pointPosition(0)!;
        return Math.abs(now.x - p.x) > 1 || Math.abs(now.y - p.y) > 1;
      }, before);
      const zoomed = await bigPage.evaluate(() => window.latentkitViewer!.pointPosition(0)!);
      expect(Math.hypot(zoomed.x - centre.x, zoomed.y - centre.y)).toBeGreaterThan(Math.hypot(before.x - centre.x, before.y - centre.y));
      // Dragging moves every point by the drag distance.
      await bigPage.mouse.move(centre.x, centre.y);
      await bigPage.mouse.down();
      await bigPage.mouse.move(centre.x + 60, centre.y + 30, { steps: 5 });
      await bigPage.mouse.up();
      const panned = await bigPage.evaluate(() => window.latentkitViewer!.pointPosition(0)!);
      expect(panned.x - zoomed.x).toBeCloseTo(60, 0);
      expect(panned.y - zoomed.y).toBeCloseTo(30, 0);
      // Keyboard: focus the plot, walk with the arrow keys and select with Enter.
      await bigPage.focus('canvas.scatter');
      await bigPage.keyboard.press('ArrowRight');
      await bigPage.keyboard.press('ArrowRight');
      await bigPage.keyboard.press('Enter');
      expect(await bigPage.evaluate(() => window.latentkitViewer!.selection.indices.length)).toBe(1);
      await bigPage.waitForSelector('#tooltip:not([hidden])');
      await bigPage.screenshot({ path: join(ARTIFACTS, 'viewer-10k.png') });
    } finally {
      await bigPage.close();
      await big.close();
    }
  });

  it('opens a run with a VAE: grids from its prior, restoration by it, row ids in the hover card and lasso list', async () => {
    const vae = await serveRun({ runDir: VAE_RUN_DIR });
    const vaePage = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    vaePage.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console (vae): ${m.text()}`);
    });
    vaePage.on('pageerror', (e) => errors.push(`pageerror (vae): ${e.message}`));
    try {
      await vaePage.goto(vae.url);
      await vaePage.waitForFunction(() => window.latentkitViewer?.timings.scatterFirstRenderMs !== undefined);
      // The VAE is a built-in plugin: nothing to install.
      expect(await vaePage.evaluate(async () => (await window.latentkitViewer!.registry).has('vae'))).toBe(true);

      // Row ids (points/ids.json, train then test) in the hover card, at the first test point.
      const train = await vaePage.evaluate(() => window.latentkitViewer!.run.split.indexOf(1));
      expect(await vaePage.evaluate(() => window.latentkitViewer!.run.ids?.length)).toBe(400);
      const pos = await vaePage.evaluate((i) => window.latentkitViewer!.pointPosition(i)!, train);
      await vaePage.mouse.move(pos.x, pos.y);
      await vaePage.waitForSelector('#tooltip:not([hidden])');
      const shown = Number(/#(\d+)/.exec((await vaePage.textContent('#tooltip'))!)![1]);
      const expectedId = shown < train ? rowId('train', shown) : rowId('test', shown - train);
      expect(await vaePage.$$eval('#tooltip dt, #tooltip dd', (e) => e.map((x) => x.textContent))).toEqual(expect.arrayContaining(['id', expectedId]));
      // …and in the lasso list.
      await vaePage.evaluate((rows) => window.latentkitViewer!.selection.setLasso(rows), [2, train + 3]);
      await vaePage.waitForSelector('#lasso-rows button[data-row]');
      const listed = await vaePage.$$eval('#lasso-rows button[data-row]', (b) => b.map((x) => x.textContent));
      expect(listed[0]).toContain(rowId('train', 2));
      expect(listed[1]).toContain(rowId('test', 3));

      // The prior is offered first for the model that samples; a 4 × 4 grid of distinct, non-blank images.
      await vaePage.selectOption('#sample-model', 'vae');
      const sources = await vaePage.$$eval('#sample-density option', (o) => o.map((x) => [(x as HTMLOptionElement).value, x.textContent]));
      expect(sources[0]).toEqual(['prior', "the model's prior"]);
      expect(sources.map(([, text]) => text)).toContain('a density fitted to the codes (Gaussian)');
      await vaePage.selectOption('#sample-density', 'prior');
      await vaePage.selectOption('#sample-size', '4');
      await vaePage.click('#sample-button');
      await vaePage.waitForSelector('#sample-grid[data-seed="0"][data-source="prior"]');
      const cells = async () => Promise.all(Array.from({ length: 16 }, (_, k) => canvasPixels(vaePage, `#sample-grid canvas:nth-child(${k + 1})`)));
      const grid = await cells();
      const grey = grid.map((px) => px.filter((_, k) => k % 4 === 0));
      const spread = (v: number[]) => Math.max(...v) - Math.min(...v);
      // Not blank: each sample has light and dark pixels; not constant:
      // the samples differ from one another.
      expect(Math.min(...grey.map(spread))).toBeGreaterThan(40);
      expect(meanAbsDiff(grid[0]!, grid[1]!)).toBeGreaterThan(1);
      figures.vaePriorGrid = { minSpread: Math.min(...grey.map(spread)), meanFirstTwoDiff: meanAbsDiff(grid[0]!, grid[1]!) };
      await (await vaePage.$('#sampling-panel'))!.screenshot({ path: join(ARTIFACTS, 'viewer-vae-prior.png') });
      await vaePage.click('#sample-redraw');
      await vaePage.waitForSelector('#sample-grid[data-seed="1"]');
      expect(meanAbsDiff(grid[0]!, await canvasPixels(vaePage, '#sample-grid canvas:nth-child(1)'))).toBeGreaterThan(1);

      // Restoration by the VAE (it encodes and decodes): the lasso rows, clean / corrupted / restored.
      await vaePage.selectOption('#restore-model', 'vae');
      await vaePage.waitForFunction(() => document.getElementById('restore-psnr')!.textContent!.includes('restored by VAE'));
      expect(await vaePage.$$eval('#restore-rows [data-row]', (r) => r.map((x) => Number((x as HTMLElement).dataset.row)))).toEqual([2, train + 3]);
      await (await vaePage.$('#restoration-panel'))!.screenshot({ path: join(ARTIFACTS, 'viewer-vae-restore.png') });
    } finally {
      await vaePage.close();
      await vae.close();
    }
  });

  it('logged no console errors', () => {
    expect(errors).toEqual([]);
  });
});
