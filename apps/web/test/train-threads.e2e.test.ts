import { cp, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { chromiumPath } from '@latentkit/tooling/browser';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveRun, type RunServer } from '@latentkit/viewer/node';
import { buildViewer, PACKAGE_DIR, VIEWER_PACKAGE_DIR } from './build-viewer.js';
import { createFixtureRun } from './fixture-run.js';
import { SOFTWARE_GL_ARGS } from './software-gl.js';

// A small run of its own (PCA only: the panel trains, the run just has to open).
const RUN_DIR = join(PACKAGE_DIR, 'test-artifacts', 'train-threads-run');
// The built viewer less its replica worker script, as a host that failed to deploy it would serve it.
const BROKEN_VIEWER_DIR = join(PACKAGE_DIR, 'test-artifacts', 'viewer-without-replica-worker');

async function viewerWithoutReplicaWorker(): Promise<string> {
  await rm(BROKEN_VIEWER_DIR, { recursive: true, force: true });
  await cp(join(VIEWER_PACKAGE_DIR, 'dist', 'viewer'), BROKEN_VIEWER_DIR, { recursive: true });
  const assets = join(BROKEN_VIEWER_DIR, 'assets');
  const scripts = (await readdir(assets)).filter((f) => f.startsWith('replica-worker-'));
  expect(scripts).toHaveLength(1);
  await rm(join(assets, scripts[0]!));
  return BROKEN_VIEWER_DIR;
}

/** A narrow CNN, quick to train in the browser. */
const SMALL_CNN = { channels: '4,4,8,8' };

/**
 * Trains a small model in the panel on `threads` threads and returns what the panel said. A conv-ae step splits
 * (each weight is used at hundreds of pixels); a dense-ae step of 32 rows is too little work per weight, so
 * training keeps it on one thread and says why (ae-core's usefulWorkers).
 */
async function trainSmall(page: Page, kind: string, threads: number, options: Readonly<Record<string, string>> = {}) {
  await page.selectOption('#train-kind', kind);
  await page.fill('#train-d', '4');
  await page.fill('#train-threads', String(threads));
  for (const [name, value] of Object.entries({ epochs: '4', batchSize: '32', ...options })) await page.fill(`#train-opt-${name}`, value);
  await page.click('#train-start');
  await page.waitForFunction(() => /^Trained|^Training failed/.test(document.getElementById('train-status')!.textContent ?? ''), undefined, { timeout: 30_000 });
  return page.evaluate(() => ({
    status: document.getElementById('train-status')!.textContent!,
    note: document.getElementById('train-threads-note')!.hidden ? undefined : document.getElementById('train-threads-note')!.textContent!,
    losses: (document.getElementById('train-chart')!.dataset.losses ?? '').split(',').filter(Boolean).map(Number),
  }));
}

describe('data-parallel training in the viewer (nested Web Workers)', () => {
  let server: RunServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    await mkdir(join(PACKAGE_DIR, 'test-artifacts'), { recursive: true });
    await Promise.all([createFixtureRun(RUN_DIR, { trainPoints: 300, testPoints: 50, fitRows: 100, kinds: ['pca'] }), buildViewer()]);
    server = await serveRun({ runDir: RUN_DIR });
    browser = await chromium.launch({ executablePath: await chromiumPath(), args: SOFTWARE_GL_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    await page.goto(server.url);
    await page.waitForSelector('#train-start:not([disabled])');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('offers the machine’s cores (at most 8) as threads', async () => {
    const [offered, cores] = await page.evaluate(() => [Number((document.getElementById('train-threads') as HTMLInputElement).value), navigator.hardwareConcurrency]);
    expect(offered).toBe(Math.min(8, cores));
  });

  it('trains a conv-ae on 2 threads and lowers its loss', async () => {
    const r = await trainSmall(page, 'conv-ae', 2, SMALL_CNN);
    expect(r.status).toMatch(/^Trained conv-ae d=4 in [\d.]+ s on 2 threads; reconstruction MSE/);
    expect(r.note).toBeUndefined();
    await page.locator('#train-panel').screenshot({ path: join(PACKAGE_DIR, 'test-artifacts', 'viewer-train-2-threads.png') });
    expect(r.losses).toHaveLength(4);
    expect(r.losses.at(-1)!).toBeLessThan(r.losses[0]!);
    expect(errors).toEqual([]);
  }, 40_000);

  it('keeps a dense-ae step too small to split on one thread, and says why in the panel', async () => {
    const r = await trainSmall(page, 'dense-ae', 2);
    expect(r.note).toMatch(/^Training on 1 thread instead of 2: a step of 32 rows is too little work to split/i);
    expect(r.status).toMatch(/^Trained dense-ae d=4 in [\d.]+ s on 1 thread; /);
    expect(r.losses.at(-1)!).toBeLessThan(r.losses[0]!);
  }, 40_000);

  it('says so in the panel when the replica workers cannot start, and trains on one thread', async () => {
    const broken = await serveRun({ runDir: RUN_DIR, viewerDir: await viewerWithoutReplicaWorker() });
    const brokenPage = await browser.newPage();
    try {
      await brokenPage.goto(broken.url);
      await brokenPage.waitForSelector('#train-start:not([disabled])');
      const r = await trainSmall(brokenPage, 'conv-ae', 2, SMALL_CNN);
      expect(r.note).toMatch(/^Training on 1 thread instead of 2: /);
      await brokenPage.locator('#train-panel').screenshot({ path: join(PACKAGE_DIR, 'test-artifacts', 'viewer-train-fallback.png') });
      expect(r.status).toMatch(/^Trained conv-ae d=4 in [\d.]+ s on 1 thread; /);
      expect(r.losses.at(-1)!).toBeLessThan(r.losses[0]!);
    } finally {
      await brokenPage.close();
      await broken.close();
    }
  }, 40_000);
});
