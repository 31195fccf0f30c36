import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromiumPath } from '@latentkit/tooling/browser';
import { canvasPixels, interpolationEnds } from '@latentkit/tooling/browser-page';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveRun, type RunServer } from '@latentkit/viewer/node';
import { buildViewer, PACKAGE_DIR } from './build-viewer.js';
import { createFixtureRun } from './fixture-run.js';
import { SOFTWARE_GL_ARGS } from './software-gl.js';

const ARTIFACTS = join(PACKAGE_DIR, 'test-artifacts');
const RUN_DIR = join(ARTIFACTS, 'fixture-run');
// All 10,000 MNIST digits with a PCA model only: measures the scatter at full size cheaply.
const BIG_RUN_DIR = join(ARTIFACTS, 'fixture-run-10k');

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
    const reuse = process.env.LATENTKIT_WEB_REUSE_FIXTURE === '1' && (await exists(RUN_DIR)) && (await exists(BIG_RUN_DIR));
    const makeFixtures = async () => {
      const small = await createFixtureRun(RUN_DIR);
      const big = await createFixtureRun(BIG_RUN_DIR, { trainPoints: 8000, testPoints: 2000, kinds: ['pca'] });
      figures.fixtureSeconds = { small: small.seconds, big: big.seconds, perModel: small.manifest.info?.secondsPerModel };
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
    // A second click draws new samples (the seed advances).
    await page.click('#sample-button');
    await page.waitForSelector('#sample-grid[data-seed="1"]');
    expect(meanAbsDiff(first, await canvasPixels(page, '#sample-grid canvas:nth-child(1)'))).toBeGreaterThan(0);
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
    // The page stays responsive while the worker trains: hovering still updates the tooltip.
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

  it('logged no console errors', () => {
    expect(errors).toEqual([]);
  });
});
