import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { servedPlugin, serveRun, type RunServer } from '@latentkit/viewer/node';
import { chromiumPath } from '@latentkit/tooling/browser';
import { interpolationEnds } from '@latentkit/tooling/browser-page';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildViewer, PACKAGE_DIR } from './build-viewer.js';
import { SOFTWARE_GL_ARGS } from './software-gl.js';
// @ts-expect-error: the fixture is plain JavaScript, as a contributor's built package is.
import toyPlugin from './fixtures/toy-plugin/index.js';
import { createToyRun, GHOST_PACKAGE, TOY_PLUGIN_DIR } from './toy-run.js';

const ARTIFACTS = join(PACKAGE_DIR, 'test-artifacts');
const RUN_DIR = join(ARTIFACTS, 'toy-run');

/**
 * A third-party plugin in the viewer, as `latentkit view --plugin latentkit-toy` serves it: the page loads its
 * browser module through the import map, decodes its models, trains it in the worker, and names the package
 * of a model whose plugin is missing.
 */
describe('a third-party plugin in the viewer (Chromium)', () => {
  let server: RunServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    await Promise.all([createToyRun(RUN_DIR), buildViewer()]);
    const toy = await servedPlugin(toyPlugin, fileURLToPath(new URL('index.js', TOY_PLUGIN_DIR)));
    expect(toy?.packageName).toBe('latentkit-toy');
    server = await serveRun({ runDir: RUN_DIR, plugins: [toy!] });
    browser = await chromium.launch({ executablePath: await chromiumPath(), args: SOFTWARE_GL_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('response', (r) => {
      if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    await page.goto(server.url);
    await page.waitForSelector('body[data-ready="true"]');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('loads the plugin and names the package of the model whose plugin is missing', async () => {
    await page.evaluate(() => window.latentkitViewer!.registry);
    expect(await page.evaluate(async () => (await window.latentkitViewer!.registry).has('toy'))).toBe(true);
    await page.waitForSelector('#viewer-notices li');
    const notices = await page.$$eval('#viewer-notices li', (li) => li.map((l) => l.textContent));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(`install ${GHOST_PACKAGE.name}@${GHOST_PACKAGE.version}`);
    expect(notices[0]).toMatch(/^Ghost \(ghost\): /);
  });

  it('shows the hovered point in the tooltip', async () => {
    const pos = await page.evaluate(() => window.latentkitViewer!.pointPosition(5)!);
    await page.mouse.move(pos.x, pos.y);
    await page.waitForSelector('#tooltip:not([hidden])');
    expect(await page.textContent('#tooltip')).toMatch(/#\d+/);
  });

  it('reconstructs the selected point with the plugin, on the viewer\'s own tfjs (wasm backend)', async () => {
    const a = await page.evaluate(() => window.latentkitViewer!.pointPosition(0)!);
    await page.mouse.click(a.x, a.y);
    await page.waitForSelector('#reconstructions canvas[aria-label="reconstruction by Toy d=6"]');
    // The plugin decoded with the tfjs instance the viewer set the wasm backend up on.
    expect(await page.evaluate(() => (globalThis as { latentkitToyBackend?: string }).latentkitToyBackend)).toBe('wasm');
    // The ghost model cannot decode here: its line names the package, the toy's figure stays.
    await page.waitForFunction(() => /latentkit-ghost@0\.3\.0/.test(document.getElementById('reconstructions')!.textContent ?? ''));
  });

  it('interpolates with the plugin as the slider moves', async () => {
    expect(await page.$eval('#interp-model', (s) => (s as HTMLSelectElement).value)).toBe('toy');
    const b = await page.evaluate(() => {
      const v = window.latentkitViewer!;
      let j = 1;
      while (v.run.labels![j] === v.run.labels![0]) j++;
      return v.pointPosition(j)!;
    });
    await page.mouse.click(b.x, b.y);
    await page.waitForSelector('#interp-output[data-alpha="0.50"]');
    const { atA, atB } = await interpolationEnds(page);
    expect(atA.some((v, k) => Math.abs(v - atB[k]!) > 8)).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'viewer-plugin.png'), fullPage: true });
  });

  it('validates the plugin\'s options from its schema before training', async () => {
    await page.selectOption('#train-kind', 'toy');
    expect(await page.getAttribute('#train-opt-scale', 'placeholder')).toBe('1');
    await page.fill('#train-d', '4');
    await page.fill('#train-opt-scale', '-2');
    await page.click('#train-start');
    await page.waitForFunction(() => /reducer "toy" options: scale: must be a number > 0/.test(document.getElementById('train-status')!.textContent ?? ''));
  });

  it('trains the plugin in the worker, which loads it without an import map', async () => {
    await page.fill('#train-opt-scale', '2');
    await page.click('#train-start');
    await page.waitForFunction(() => /^Trained toy d=4/.test(document.getElementById('train-status')!.textContent ?? ''), undefined, { timeout: 60_000 });
    expect(await page.$$eval('#train-preview canvas', (c) => c.length)).toBe(16);
  });

  it('logged no console errors', () => {
    expect(errors).toEqual([]);
  });
});
