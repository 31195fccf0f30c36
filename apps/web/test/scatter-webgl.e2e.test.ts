import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromiumPath } from '@latentkit/tooling/browser';
import { canvasPixels } from '@latentkit/tooling/browser-page';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveRun, type RunServer } from '@latentkit/viewer/node';
import { createBlobsRun } from './blobs-run.js';
import { buildViewer, PACKAGE_DIR } from './build-viewer.js';
import { SOFTWARE_GL_ARGS } from './software-gl.js';

const ARTIFACTS = join(PACKAGE_DIR, 'test-artifacts');
const RUN_DIR = join(ARTIFACTS, 'blobs-run-20k');
const POINTS = 20_000;

type Rgb = [number, number, number];

/**
 * Colour of the scatter's canvas at a client position as the page shows it: the canvas (what WebGL drew,
 * copied) is transparent where there are no points, over the plot's white background.
 */
async function pixelAt(page: Page, x: number, y: number): Promise<Rgb> {
  return page.$eval(
    'canvas.scatter',
    (c, p) => {
      const canvas = c as HTMLCanvasElement;
      const r = canvas.getBoundingClientRect();
      const scale = canvas.width / r.width;
      const d = canvas.getContext('2d')!.getImageData(Math.round((p.x - r.left) * scale), Math.round((p.y - r.top) * scale), 1, 1).data;
      const a = d[3]! / 255;
      return [0, 1, 2].map((k) => Math.round(d[k]! * a + 255 * (1 - a))) as [number, number, number];
    },
    { x, y },
  );
}

const distance = (a: Rgb, b: Rgb) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

describe('WebGL latent scatter in Chromium (20k points, four known blobs)', () => {
  let server: RunServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  /** Screen centre of each label's blob. */
  let centres: { x: number; y: number }[] = [];

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    await Promise.all([createBlobsRun(RUN_DIR, POINTS), buildViewer()]);
    server = await serveRun({ runDir: RUN_DIR });
    browser = await chromium.launch({ executablePath: await chromiumPath(), args: SOFTWARE_GL_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    await page.goto(server.url);
    await page.waitForFunction(() => window.latentkitViewer?.timings.scatterFirstRenderMs !== undefined);
    centres = await page.evaluate(() => {
      const v = window.latentkitViewer!;
      const sums = [0, 1, 2, 3].map(() => ({ x: 0, y: 0, n: 0 }));
      // Every 7th point is plenty for the blob centres (7 is prime to the 4 labels' cycle).
      for (let i = 0; i < v.run.n; i += 7) {
        const p = v.pointPosition(i)!;
        const s = sums[v.run.labels![i]!]!;
        s.x += p.x;
        s.y += p.y;
        s.n++;
      }
      return sums.map((s) => ({ x: s.x / s.n, y: s.y / s.n }));
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('draws every point with WebGL and says so', async () => {
    const stats = await page.evaluate(() => window.latentkitViewer!.scatterStats()!);
    expect(stats.pointsDrawn).toBe(POINTS);
    expect(stats.glRenderer.length).toBeGreaterThan(0);
    expect(await page.textContent('#scatter-count')).toBe('All 20,000 points drawn.');
    // Points where the blobs are; the white background between them.
    for (const c of centres) expect(distance(await pixelAt(page, c.x, c.y), [255, 255, 255])).toBeGreaterThan(60);
    const mid = { x: centres.reduce((s, c) => s + c.x, 0) / 4, y: centres.reduce((s, c) => s + c.y, 0) / 4 };
    expect(await pixelAt(page, mid.x, mid.y)).toEqual([255, 255, 255]);
    // Each blob is drawn in its label's colour, as the legend shows it.
    const swatches = await page.$$eval('#scatter-legend .swatch', (s) => s.map((e) => getComputedStyle(e).backgroundColor));
    expect(swatches).toHaveLength(4);
    const legendRgb = swatches.map((s) => s.match(/\d+/g)!.slice(0, 3).map(Number) as Rgb);
    for (const [label, c] of centres.entries()) expect(distance(await pixelAt(page, c.x, c.y), legendRgb[label]!)).toBeLessThan(40);
    await page.screenshot({ path: join(ARTIFACTS, 'scatter-webgl-20k.png') });
  });

  it('shows the hovered point\'s thumbnail and fields', async () => {
    const i = 4321;
    const p = await page.evaluate((k) => window.latentkitViewer!.pointPosition(k)!, i);
    await page.mouse.move(p.x, p.y);
    await page.waitForSelector('#tooltip:not([hidden])');
    const shown = Number(await page.getAttribute('#tooltip', 'data-row'));
    // The blob is dense: the point under the cursor may be a neighbour of the same label.
    const labels = await page.evaluate(([a, b]) => [window.latentkitViewer!.run.labels![a!], window.latentkitViewer!.run.labels![b!]], [i, shown]);
    expect(labels[1]).toBe(labels[0]);
    const expected = await page.evaluate((k) => {
      const run = window.latentkitViewer!.run;
      return Array.from(run.images.subarray(k * run.features, (k + 1) * run.features));
    }, shown);
    expect((await canvasPixels(page, '#tooltip canvas')).filter((_, k) => k % 4 === 0)).toEqual(expected);
    const fields = await page.$$eval('#tooltip dd', (d) => d.map((e) => e.textContent));
    expect(fields[0]).toBe(`#${shown}`);
    expect(fields).toContain(`blob ${labels[0]}`);
    await page.screenshot({ path: join(ARTIFACTS, 'scatter-webgl-hover.png') });
    await page.mouse.move(5, 5);
    await page.waitForSelector('#tooltip', { state: 'hidden' });
  });

  it('selects exactly one blob\'s rows with a scripted lasso, and the panels use the selection', async () => {
    await page.click('#scatter-lasso-mode');
    // A circle around blob 2, its centre moved 15 px towards the plot's middle so the lasso stays on the canvas.
    const mid = { x: centres.reduce((sum, b) => sum + b.x, 0) / 4, y: centres.reduce((sum, b) => sum + b.y, 0) / 4 };
    const blob = centres[2]!;
    const away = Math.hypot(mid.x - blob.x, mid.y - blob.y);
    const c = { x: blob.x + (15 * (mid.x - blob.x)) / away, y: blob.y + (15 * (mid.y - blob.y)) / away };
    const radius = 40;
    await page.mouse.move(c.x + radius, c.y);
    await page.mouse.down();
    for (let s = 1; s <= 16; s++) {
      const a = (2 * Math.PI * s) / 16;
      await page.mouse.move(c.x + radius * Math.cos(a), c.y + radius * Math.sin(a));
    }
    await page.mouse.up();
    await page.waitForFunction(() => window.latentkitViewer!.selection.lasso.length > 0);
    const { selected, expected } = await page.evaluate(() => {
      const v = window.latentkitViewer!;
      const want: number[] = [];
      for (let i = 0; i < v.run.n; i++) if (v.run.labels![i] === 2) want.push(i);
      return { selected: Array.from(v.selection.lasso), expected: want };
    });
    expect(selected).toEqual(expected);
    expect(await page.textContent('#lasso-count')).toBe('5,000 rows in the lasso (4,000 train, 1,000 test)');
    expect(await page.$$eval('#lasso-rows button', (b) => b.length)).toBe(50);
    // Reconstructions of the selection's first rows, by the run's PCA.
    await page.waitForSelector('#lasso-reconstructions [data-model="pca"] canvas');
    expect(await page.$$eval('#lasso-reconstructions canvas', (c) => c.length)).toBe(16);
    // The anomaly list ranks the selection's test points only.
    expect(await page.textContent('#anomaly-scope')).toBe('Ranked within the lasso selection: 1000 of its rows are test points.');
    await page.screenshot({ path: join(ARTIFACTS, 'scatter-webgl-lasso.png'), fullPage: true });
    await page.click('#lasso-clear');
    await page.waitForFunction(() => window.latentkitViewer!.selection.lasso.length === 0);
    await page.click('#scatter-lasso-mode');
  });

  it('colours by anomaly score on demand: pixels change and the legend shows score bins', async () => {
    const before = await Promise.all(centres.map((c) => pixelAt(page, c.x, c.y)));
    const options = await page.$$eval('#scatter-colour option', (o) => o.map((e) => (e as HTMLOptionElement).value));
    expect(options).toContain('score:combined');
    await page.selectOption('#scatter-colour', 'score:combined');
    await page.waitForSelector('#scatter-legend[data-colour-by="score:combined"]');
    await page.waitForTimeout(300);
    const after = await Promise.all(centres.map((c) => pixelAt(page, c.x, c.y)));
    // Test points (scored) draw on top in the score palette: no blob keeps its label colour.
    for (let k = 0; k < 4; k++) expect(distance(before[k]!, after[k]!)).toBeGreaterThan(40);
    const legend = await page.$$eval('#scatter-legend li', (l) => l.map((e) => e.textContent));
    expect(legend[0]).toBe('no score (training point)');
    expect(legend).toHaveLength(11);
    await page.screenshot({ path: join(ARTIFACTS, 'scatter-webgl-score.png') });
    await page.selectOption('#scatter-colour', 'label');
    await page.waitForSelector('#scatter-legend[data-colour-by="label"]');
  });

  it('logged no console errors', () => {
    expect(errors).toEqual([]);
  });
});
