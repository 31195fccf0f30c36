import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath } from '@latentkit/tooling/browser';
import { canvasPixels, interpolationEnds } from '@latentkit/tooling/browser-page';

/** What the viewer page exposes for tests (see @latentkit/viewer's main.ts); only the parts used here. */
declare global {
  interface Window {
    latentkitViewer?: {
      readonly registry: Promise<{ has(kind: string): boolean }>;
      readonly run: { readonly labels?: ArrayLike<number> };
      pointPosition(i: number): { x: number; y: number } | undefined;
    };
  }
}

const run = promisify(execFile);
const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CLI = join(REPO, 'apps', 'cli', 'dist', 'bin.js');
const PLUGIN = 'latentkit-reducer-nmf';
/** What a contributor needs from us, packed as npm would publish it. */
const PACKED = ['core', 'reducer-conformance', 'create-reducer'];
const minutes = (n: number) => n * 60_000;

const npm = (args: readonly string[], cwd: string) => run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, maxBuffer: 64 << 20 });
/** Starts `latentkit view … --json` in `cwd`; resolves with the URL it prints and a way to stop it. */
function startView(args: readonly string[], cwd: string): Promise<{ url: string; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, [CLI, 'view', ...args, '--json'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((done) => child.on('close', done));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      // --json prints one JSON object (possibly over several lines) once the server listens.
      const printed = parseJson(out) as { url?: string } | undefined;
      if (printed?.url) resolve({ url: printed.url, stop: () => (child.kill('SIGINT'), exited) });
    });
    void exited.then(() => reject(new Error(`latentkit view exited before printing a URL: ${stderr}`)));
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const latentkit = (args: readonly string[], cwd: string) => run(process.execPath, [CLI, ...args], { cwd, maxBuffer: 64 << 20 });

/**
 * The contributor's path from nothing, outside this workspace: scaffold a plugin with the published
 * create package, install @latentkit from tarballs, run its own tests (the conformance suite), pack it,
 * install it into a user's project, fit through the CLI and open the model in the viewer.
 */
describe('a contributor scaffolds, tests, packs and uses a reducer plugin outside the monorepo', () => {
  let root: string;
  let tarballs: Record<string, string>;
  const timings: Record<string, number> = {};
  const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      timings[name] = Math.round((performance.now() - t0) / 100) / 10;
    }
  };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'latentkit-contributor-'));
    expect(root.startsWith(REPO)).toBe(false);
    const dest = join(root, 'tarballs');
    await mkdir(dest);
    tarballs = {};
    for (const name of PACKED) {
      const before = new Set(await readdir(dest));
      await run('pnpm', ['pack', '--pack-destination', dest], { cwd: join(REPO, 'packages', name) });
      const made = (await readdir(dest)).find((f) => !before.has(f))!;
      tarballs[name] = join(dest, made);
    }
  }, minutes(3));

  afterAll(async () => {
    await mkdir(join(REPO, 'packages', 'create-reducer', 'test-artifacts'), { recursive: true });
    await writeFile(join(REPO, 'packages', 'create-reducer', 'test-artifacts', 'contributor-path.json'), JSON.stringify({ secondsPerStep: timings }, null, 2) + '\n').catch(() => {});
  });

  it('scaffolds a package whose own tests (conformance included) pass and which packs', async () => {
    const tools = join(root, 'tools');
    await mkdir(tools);
    await step('install create-reducer', () => npm(['install', tarballs['create-reducer']!], tools));
    await step('scaffold', () => run(join(tools, 'node_modules', '.bin', 'create-reducer'), [PLUGIN, '--dir', join(root, PLUGIN)], { cwd: root }));
    const pluginDir = join(root, PLUGIN);
    const pkg = JSON.parse(await readFile(join(pluginDir, 'package.json'), 'utf8'));
    expect(JSON.stringify(pkg)).not.toContain('workspace:');
    await step('npm install (plugin)', () => npm(['install', tarballs.core!, tarballs['reducer-conformance']!], pluginDir));
    const test = await step('npm test (plugin)', () => run('npm', ['test', '--', '--reporter=verbose'], { cwd: pluginDir, maxBuffer: 64 << 20 }));
    // The conformance checks ran (their names appear) and passed.
    expect(test.stdout).toMatch(/conformance/i);
    expect(test.stdout).toMatch(/passed/);
    expect(test.stdout).not.toMatch(/failed/);
    await step('npm pack (plugin)', () => npm(['pack', '--pack-destination', join(root, 'tarballs')], pluginDir));
    const packed = (await readdir(join(root, 'tarballs'))).find((f) => f.startsWith(PLUGIN));
    expect(packed).toBeDefined();
    tarballs.plugin = join(root, 'tarballs', packed!);
  }, minutes(8));

  it('a user installs it and fits it through the CLI by name', async () => {
    const project = join(root, 'user-project');
    await mkdir(project);
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true, type: 'module' }));
    await step('npm install (user)', () => npm(['install', tarballs.core!, tarballs.plugin!], project));
    await writeFile(join(project, 'latentkit.config.json'), JSON.stringify({ plugins: [PLUGIN] }));
    const list = await latentkit(['list', '--json'], project);
    const nmf = JSON.parse(list.stdout).reducers.find((r: { kind: string }) => r.kind === 'nmf');
    expect(nmf.capabilities).toEqual(['encode', 'decode']);
    const fit = await step('latentkit fit', () => latentkit(['fit', '--reducer', 'nmf', '--latent', '8', '--out', 'nmf8', '--json'], project));
    const metrics = JSON.parse(fit.stdout);
    // A random 8-D projection keeps far less than PCA, the optimal linear map, yet stays below predicting
    // the mean image (≈0.067 on these digits): finite, sensible reconstructions from the plugin.
    const pca = JSON.parse((await latentkit(['fit', '--reducer', 'pca', '--latent', '8', '--out', 'pca8', '--json'], project)).stdout);
    expect(metrics.test.mse).toBeGreaterThan(1.2 * pca.test.mse);
    expect(metrics.test.mse).toBeLessThan(0.07);
    const manifest = JSON.parse(await readFile(join(project, 'nmf8', 'manifest.json'), 'utf8'));
    expect(manifest.plugin).toEqual({ name: PLUGIN, version: '0.1.0' });
  }, minutes(4));

  it('the viewer loads the plugin from its browser entry: hover, reconstruction, interpolation, no console errors', async () => {
    const project = join(root, 'user-project');
    const view = await step('latentkit view (start)', () => startView(['nmf8'], project));
    const browser = await chromium.launch({ executablePath: await chromiumPath(), args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    const errors: string[] = [];
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      page.on('response', (r) => r.status() >= 400 && errors.push(`HTTP ${r.status()}: ${r.url()}`));
      await step('viewer ready', async () => {
        await page.goto(view.url);
        await page.waitForSelector('body[data-ready="true"]');
      });
      expect(await page.evaluate(async () => (await window.latentkitViewer!.registry).has('nmf'))).toBe(true);
      // Hover: the tooltip names a point.
      const p0 = await page.evaluate(() => window.latentkitViewer!.pointPosition(0)!);
      await page.mouse.move(p0.x, p0.y);
      await page.waitForSelector('#tooltip:not([hidden])');
      expect(await page.textContent('#tooltip')).toMatch(/#\d+/);
      // Reconstruction by the plugin's own decode, in the page.
      await page.mouse.click(p0.x, p0.y);
      await page.waitForSelector('#reconstructions canvas[aria-label^="reconstruction by"]');
      const recon = await canvasPixels(page, '#reconstructions canvas[aria-label^="reconstruction by"]');
      expect(new Set(recon.filter((_, k) => k % 4 === 0)).size).toBeGreaterThan(8); // not blank or constant
      // A second point of another digit, then the slider: the image changes from one end to the other.
      const p1 = await page.evaluate(() => {
        const v = window.latentkitViewer!;
        let j = 1;
        while (v.run.labels && v.run.labels[j] === v.run.labels[0]) j++;
        return v.pointPosition(j)!;
      });
      await page.mouse.click(p1.x, p1.y);
      await page.waitForSelector('#interp-output[data-alpha="0.50"]');
      expect(await page.$eval('#interp-model', (s) => (s as HTMLSelectElement).value)).toBe('nmf8');
      const { atA, atB } = await interpolationEnds(page);
      expect(atA.some((v, k) => Math.abs(v - atB[k]!) > 8)).toBe(true);
      await mkdir(join(REPO, 'packages', 'create-reducer', 'test-artifacts'), { recursive: true });
      await page.screenshot({ path: join(REPO, 'packages', 'create-reducer', 'test-artifacts', 'viewer.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      expect(await view.stop()).toBe(0);
    }
  }, minutes(4));
});
