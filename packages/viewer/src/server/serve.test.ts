import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raw } from '../../test/raw-request.js';
import { serveRun, type RunServer } from './serve.js';

describe('serveRun', () => {
  let root: string;
  let server: RunServer;
  const secret = 'outside the run folder';
  const blob = Uint8Array.from({ length: 300 }, (_, i) => (i * 37) % 256);

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'latentkit-serve-'));
    const run = join(root, 'run');
    const viewer = join(root, 'viewer');
    await mkdir(join(run, 'points'), { recursive: true });
    await mkdir(join(run, 'pca'), { recursive: true });
    await mkdir(viewer, { recursive: true });
    await writeFile(join(root, 'secret.txt'), secret);
    await writeFile(join(run, 'run.json'), '{"format":"latentkit-run"}');
    await writeFile(join(run, 'points', 'images.bin'), blob);
    await writeFile(join(run, 'pca', 'chart.svg'), '<svg/>');
    await writeFile(join(run, 'pca', 'weights.wasm'), new Uint8Array([0, 97, 115, 109]));
    await writeFile(join(run, '.hidden'), 'dotfile');
    await symlink(join(root, 'secret.txt'), join(run, 'escape.txt'));
    await symlink(join(run, 'points', 'images.bin'), join(run, 'inside.bin'));
    await writeFile(join(viewer, 'index.html'), '<!doctype html><title>viewer</title>');
    await writeFile(join(viewer, 'app.js'), 'console.log(1)');
    server = await serveRun({ runDir: run, viewerDir: viewer });
  });

  afterAll(async () => {
    await server?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('binds 127.0.0.1 on a random port by default', () => {
    const url = new URL(server.url);
    expect(url.hostname).toBe('127.0.0.1');
    expect(Number(url.port)).toBeGreaterThan(0);
  });

  it('serves a run file byte-exactly with its content type', async () => {
    const r = await raw(server.url, '/run/points/images.bin');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/octet-stream');
    expect(new Uint8Array(r.body)).toEqual(blob);
  });

  it('gives each file kind its content type', async () => {
    expect((await raw(server.url, '/run/run.json')).headers['content-type']).toMatch(/^application\/json/);
    expect((await raw(server.url, '/run/pca/chart.svg')).headers['content-type']).toBe('image/svg+xml');
    expect((await raw(server.url, '/run/pca/weights.wasm')).headers['content-type']).toBe('application/wasm');
    expect((await raw(server.url, '/app.js')).headers['content-type']).toMatch(/^text\/javascript/);
  });

  it('serves the viewer at /', async () => {
    const r = await raw(server.url, '/');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expect(r.body.toString()).toContain('<title>viewer</title>');
  });

  it('answers HEAD with headers and no body', async () => {
    const r = await raw(server.url, '/run/points/images.bin', 'HEAD');
    expect(r.status).toBe(200);
    expect(r.headers['content-length']).toBe(String(blob.length));
    expect(r.body.length).toBe(0);
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH'])('refuses %s with 405', async (method) => {
    const r = await raw(server.url, '/run/run.json', method);
    expect(r.status).toBe(405);
    expect(r.headers.allow).toBe('GET, HEAD');
  });

  it.each(['/run/', '/run/points', '/run/points/', '/run/pca/'])('does not list the folder %s', async (path) => {
    const r = await raw(server.url, path);
    expect(r.status).toBe(404);
    expect(r.body.toString()).not.toContain('images.bin');
  });

  it.each([
    '/run/../secret.txt',
    '/run/../package.json',
    '/run/%2e%2e/secret.txt',
    '/run/%2E%2E/secret.txt',
    '/run/..%2fsecret.txt',
    '/run/..%2Fsecret.txt',
    '/run/..%5csecret.txt',
    '/run/points/../../secret.txt',
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/run//etc/passwd',
    '/run/%2fetc%2fpasswd',
    '//etc/passwd',
    '/run/escape.txt',
    '/run/.hidden',
    '/run/%00',
  ])('refuses %s without leaking the file', async (path) => {
    const r = await raw(server.url, path);
    expect([400, 403, 404]).toContain(r.status);
    expect(r.body.toString()).not.toContain(secret);
    expect(r.body.toString()).not.toContain('dotfile');
  });

  it.each(['/run/../package.json', '/run/%2e%2e/secret.txt', '/run/..%2fsecret.txt', '/run//etc/passwd', '/run/%2fetc%2fpasswd'])(
    'answers the traversal attempt %s with 403',
    async (path) => {
      expect((await raw(server.url, path)).status).toBe(403);
    },
  );

  it('refuses a symlink that points outside the run folder with 403', async () => {
    expect((await raw(server.url, '/run/escape.txt')).status).toBe(403);
  });

  it('follows a symlink that stays inside the run folder', async () => {
    const r = await raw(server.url, '/run/inside.bin');
    expect(r.status).toBe(200);
    expect(new Uint8Array(r.body)).toEqual(blob);
  });

  it('refuses a folder that is not a run', async () => {
    await expect(serveRun({ runDir: root, viewerDir: join(root, 'viewer') })).rejects.toThrow(/not a latentkit run folder/);
    await expect(serveRun({ runDir: join(root, 'missing'), viewerDir: join(root, 'viewer') })).rejects.toThrow(/does not exist/);
  });
});
