// The viewer's WebGL latent scatter at scale: a synthetic run of 1M points (VIEWER_BENCH_POINTS, comma-
// separated sizes) served by `serveRun`, opened in headless Chromium on software GL (SwiftShader), then
// time to first render and frames per second while a scripted drag pans the plot. Runs against the BUILT
// viewer (packages/viewer/dist). Standalone: `node tooling/bench/viewer-scatter.bench.mjs` prints JSON.
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromiumPath } from '@latentkit/tooling/browser';
import { writeSyntheticViewerRun } from './synthetic-viewer-run.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// playwright-core is the browser tests' dependency (apps/web); the server is the built viewer's.
const { chromium } = createRequire(join(root, 'apps', 'web', 'package.json'))('playwright-core');
const { serveRun } = await import(pathToFileURL(join(root, 'packages', 'viewer', 'dist', 'node.js')).href);

/** Software WebGL (SwiftShader through ANGLE): what a CI machine without a GPU has. */
export const SOFTWARE_GL_ARGS = ['--headless', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist', '--disable-background-networking'];
const DRAG_STEPS = 30;
const VIEWPORT = { width: 1280, height: 800 };

async function measure(browser, url, log) {
  const page = await browser.newPage({ viewport: VIEWPORT });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(url);
    await page.waitForFunction(() => window.latentkitViewer?.timings.scatterFirstRenderMs !== undefined, undefined, { timeout: 300_000 });
    const loaded = await page.evaluate(() => {
      const v = window.latentkitViewer;
      return { points: v.run.n, runLoadedMs: v.timings.runLoadedMs, firstRenderMs: v.timings.scatterFirstRenderMs, scatter: v.scatterStats() };
    });
    log(`viewer-scatter: ${loaded.points} points, first render at ${Math.round(loaded.firstRenderMs)} ms`);
    // Let the rest of the page (tfjs, plugins) finish loading so it does not run during the pan.
    await page.evaluate(() => window.latentkitViewer.registry.then(() => undefined));
    await page.waitForTimeout(500);
    const box = await page.$eval('canvas.scatter', (c) => {
      const r = c.getBoundingClientRect();
      return { x: r.left, y: r.top, width: r.width, height: r.height };
    });
    // Count animation frames (is the page responsive?) and scatter renders (did the plot redraw?) over the drag.
    await page.evaluate(() => {
      const probe = { rafs: 0, running: true, start: performance.now(), framesBefore: window.latentkitViewer.scatterStats().framesDrawn };
      const tick = () => {
        probe.rafs++;
        if (probe.running) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      window.latentkitBenchProbe = probe;
    });
    const cx = box.x + box.width / 2, cy = box.y + box.height / 2;
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    // A circle of radius 120 px: every step moves the view, so every frame has something new to draw.
    for (let s = 1; s <= DRAG_STEPS; s++) {
      const a = (2 * Math.PI * s) / DRAG_STEPS;
      await page.mouse.move(cx + 120 * Math.sin(a), cy + 120 * (1 - Math.cos(a)) / 2);
    }
    await page.mouse.up();
    const pan = await page.evaluate(
      () =>
        new Promise((resolve) =>
          // One more frame so the last move's render is counted.
          requestAnimationFrame(() => {
            const p = window.latentkitBenchProbe;
            p.running = false;
            const seconds = (performance.now() - p.start) / 1000;
            const frames = window.latentkitViewer.scatterStats().framesDrawn - p.framesBefore;
            resolve({ seconds, animationFrames: p.rafs, scatterFrames: frames });
          }),
        ),
    );
    return {
      points: loaded.points,
      pointsDrawn: loaded.scatter.pointsDrawn,
      glRenderer: loaded.scatter.glRenderer,
      runLoadedMs: Math.round(loaded.runLoadedMs),
      firstRenderMs: Math.round(loaded.firstRenderMs),
      panSeconds: round(pan.seconds, 2),
      panMouseMoves: DRAG_STEPS,
      /** requestAnimationFrame callbacks per second during the drag: how smooth the page stays. */
      panFps: round(pan.animationFrames / pan.seconds, 1),
      /** Scatter renders per second during the drag (each a full redraw of every point). */
      panRenderFps: round(pan.scatterFrames / pan.seconds, 1),
      pageErrors: errors,
    };
  } finally {
    await page.close();
  }
}

function round(v, digits) {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

export default async function bench({ log = (m) => process.stderr.write(`${m}\n`) } = {}) {
  const sizes = (process.env.VIEWER_BENCH_POINTS ?? '1000000').split(',').map(Number).filter((n) => n > 0);
  const browser = await chromium.launch({ executablePath: await chromiumPath(), args: SOFTWARE_GL_ARGS });
  const chromiumVersion = browser.version();
  const rows = [];
  try {
    for (const n of sizes) {
      const dir = await mkdtemp(join(tmpdir(), 'latentkit-viewer-bench-'));
      try {
        const t0 = performance.now();
        await writeSyntheticViewerRun(dir, { n });
        log(`viewer-scatter: wrote a ${n}-point run in ${Math.round(performance.now() - t0)} ms`);
        const server = await serveRun({ runDir: dir });
        try {
          rows.push({ name: `viewer-scatter-${n}`, loadAverage: round(loadavg()[0], 2), ...(await measure(browser, server.url, log)) });
        } finally {
          await server.close();
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
  } finally {
    await browser.close();
  }
  return { suite: 'viewer-scatter', chromium: chromiumVersion, viewport: VIEWPORT, rows };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(`${JSON.stringify(await bench(), null, 2)}\n`);
}
