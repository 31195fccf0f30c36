import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raw } from '../../test/raw-request.js';
import { serveRun, type RunServer } from './serve.js';

describe('serveRun plugin modules', () => {
  let root: string;
  let run: string;
  let viewer: string;
  let server: RunServer;
  const toyModule = "import { LatentkitError } from '@latentkit/core';\nexport default { kind: 'toy' };\n";

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'latentkit-plugins-'));
    run = join(root, 'run');
    viewer = join(root, 'viewer');
    await mkdir(run);
    await mkdir(viewer);
    await mkdir(join(root, 'toy', 'dist'), { recursive: true });
    await writeFile(join(run, 'run.json'), '{}');
    await writeFile(join(viewer, 'index.html'), '<!doctype html>');
    await writeFile(join(root, 'toy', 'dist', 'browser.js'), toyModule);
    await writeFile(join(root, 'secret.txt'), 'not a plugin');
    server = await serveRun({
      runDir: run,
      viewerDir: viewer,
      plugins: [{ kind: 'toy', packageName: 'latentkit-toy', browserEntryFile: join(root, 'toy', 'dist', 'browser.js') }],
    });
  });

  afterAll(async () => {
    await server?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('lists the plugins in /plugins.json with URLs relative to it', async () => {
    const r = await raw(server.url, '/plugins.json');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(r.body.toString())).toEqual({ plugins: [{ kind: 'toy', packageName: 'latentkit-toy', url: 'plugins/toy.js' }] });
  });

  it('serves a plugin\'s browser module byte-exactly as JavaScript', async () => {
    const r = await raw(server.url, '/plugins/toy.js');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/javascript/);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.body.toString()).toBe(toyModule);
    const head = await raw(server.url, '/plugins/toy.js', 'HEAD');
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(toyModule)));
    expect(head.body.length).toBe(0);
  });

  it.each(['/plugins/other.js', '/plugins/toy', '/plugins/toy.js.map', '/plugins/', '/plugins/../secret.txt', '/plugins/%2e%2e/secret.txt', '/plugins/TOY.js'])(
    'answers %s with 404 and nothing else',
    async (path) => {
      const r = await raw(server.url, path);
      expect(r.status).toBe(404);
      expect(r.body.toString()).not.toContain('not a plugin');
    },
  );

  it('lists no plugins when none are given', async () => {
    const bare = await serveRun({ runDir: run, viewerDir: viewer });
    try {
      expect(JSON.parse((await raw(bare.url, '/plugins.json')).body.toString())).toEqual({ plugins: [] });
      expect((await raw(bare.url, '/plugins/toy.js')).status).toBe(404);
    } finally {
      await bare.close();
    }
  });

  it('refuses bad plugin lists before listening, naming the package', async () => {
    const entry = join(root, 'toy', 'dist', 'browser.js');
    const start = (plugins: unknown) => serveRun({ runDir: run, viewerDir: viewer, plugins: plugins as never });
    await expect(start([{ kind: 'toy', packageName: 'a', browserEntryFile: entry }, { kind: 'toy', packageName: 'b', browserEntryFile: entry }])).rejects.toThrow(
      /plugin "toy" is served twice \(a and b\)/,
    );
    await expect(start([{ kind: 'Bad Kind', packageName: 'latentkit-bad', browserEntryFile: entry }])).rejects.toThrow(/latentkit-bad: plugin kind "Bad Kind"/);
    await expect(start([{ kind: 'gone', packageName: 'latentkit-gone', browserEntryFile: join(root, 'missing.js') }])).rejects.toThrow(
      /plugin "gone" \(latentkit-gone\): browser entry .*missing\.js does not exist/,
    );
    await expect(start([{ kind: 'dir', packageName: 'latentkit-dir', browserEntryFile: join(root, 'toy') }])).rejects.toThrow(/not a file/);
  });

  it('serves the file a symlinked browser entry points to', async () => {
    await symlink(join(root, 'toy', 'dist', 'browser.js'), join(root, 'linked.js'));
    const linked = await serveRun({ runDir: run, viewerDir: viewer, plugins: [{ kind: 'toy', packageName: 'latentkit-toy', browserEntryFile: join(root, 'linked.js') }] });
    try {
      expect((await raw(linked.url, '/plugins/toy.js')).body.toString()).toBe(toyModule);
    } finally {
      await linked.close();
    }
  });
});
