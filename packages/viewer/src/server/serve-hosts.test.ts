import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raw, rawText } from '../../test/raw-request.js';
import { serveRun, type RunServer } from './serve.js';

/** The DNS-rebinding defence end to end: the server answers only Host headers that name it. */
describe('serveRun Host check', () => {
  let root: string;
  let run: string;
  let viewer: string;
  let server: RunServer;
  let port: string;
  const runJson = '{"format":"latentkit-run","secret":"run data"}';

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'latentkit-hosts-'));
    run = join(root, 'run');
    viewer = join(root, 'viewer');
    await mkdir(run);
    await mkdir(viewer);
    await writeFile(join(run, 'run.json'), runJson);
    await writeFile(join(viewer, 'index.html'), '<!doctype html><title>viewer</title>');
    server = await serveRun({ runDir: run, viewerDir: viewer });
    port = new URL(server.url).port;
  });

  afterAll(async () => {
    await server?.close();
    await rm(root, { recursive: true, force: true });
  });

  it.each(['127.0.0.1', 'localhost', '[::1]'])('serves the run to Host %s with its port', async (name) => {
    const r = await raw(server.url, '/run/run.json', 'GET', `${name}:${port}`);
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe(runJson);
  });

  it.each(['evil.example', 'localhost.evil.example', '192.168.1.5'])('refuses Host %s with 403 and no run data', async (name) => {
    for (const path of ['/run/run.json', '/', '/plugins.json']) {
      const r = await raw(server.url, path, 'GET', `${name}:${port}`);
      expect(r.status).toBe(403);
      expect(r.body.toString()).not.toContain('run data');
      expect(r.body.toString()).toMatch(/Host header refused/);
    }
  });

  it('refuses the right name on another port', async () => {
    expect((await raw(server.url, '/run/run.json', 'GET', `localhost:${Number(port) + 1}`)).status).toBe(403);
  });

  it('refuses a request without a Host header', async () => {
    const reply = await rawText(server.url, 'GET /run/run.json HTTP/1.0\r\n\r\n');
    expect(reply).toMatch(/^HTTP\/1\.[01] 403/);
    expect(reply).not.toContain('run data');
  });

  it('accepts an address bound on purpose and the names in allowedHosts, still refusing others', async () => {
    const wide = await serveRun({ runDir: run, viewerDir: viewer, host: '0.0.0.0', allowedHosts: ['viewer.lan'] });
    try {
      const p = new URL(wide.url).port;
      expect((await raw(wide.url, '/run/run.json', 'GET', `viewer.lan:${p}`)).status).toBe(200);
      expect((await raw(wide.url, '/run/run.json', 'GET', `127.0.0.1:${p}`)).status).toBe(200);
      expect((await raw(wide.url, '/run/run.json', 'GET', `evil.example:${p}`)).status).toBe(403);
    } finally {
      await wide.close();
    }
  });
});
