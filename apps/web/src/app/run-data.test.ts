import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadRun, normaliseRunUrl, pointCode } from './run-data.js';

const BASE = 'http://example.test/runs/demo/';

/** A 3-point run of 2×2 images with one d=2 model, served from an in-memory map. */
function files(overrides: Record<string, Uint8Array | string | undefined> = {}): Map<string, Uint8Array | string> {
  const manifest = {
    format: 'latentkit-run',
    formatVersion: 1,
    createdAt: '2024-01-01T00:00:00Z',
    seed: 0,
    data: { spec: 'test', name: 'tiny', n: 3, features: 4, imageShape: [2, 2, 1], hasLabels: true },
    models: [{ dir: 'pca', kind: 'pca', displayName: 'PCA', latentDim: 2, testMse: 0.1 }],
  };
  const m = new Map<string, Uint8Array | string>([
    ['run.json', JSON.stringify(manifest)],
    ['points/images.bin', Uint8Array.from([0, 255, 51, 102, 1, 2, 3, 4, 5, 6, 7, 8])],
    ['points/labels.bin', new Uint8Array(Int32Array.from([7, 1, 7]).buffer)],
    ['points/split.bin', Uint8Array.from([0, 1, 1])],
    ['pca/codes.bin', new Uint8Array(Float32Array.from([1, 2, 3, 4, 5, 6]).buffer)],
    ['pca/latent.json', JSON.stringify({ scores: { reconstruction: [1, 2], density: [3, 4], combined: [5, 6] } })],
  ]);
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) m.delete(k);
    else m.set(k, v);
  }
  return m;
}

function serve(map: Map<string, Uint8Array | string>): void {
  vi.stubGlobal('fetch', async (url: string) => {
    const path = url.slice(BASE.length);
    const body = map.get(path);
    if (body === undefined) return new Response('missing', { status: 404 });
    return new Response(typeof body === 'string' ? body : body.slice());
  });
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('loadRun', () => {
  it('reads points, labels, split and codes', async () => {
    serve(files());
    const run = await loadRun(BASE);
    expect(run.n).toBe(3);
    expect([...run.labels!]).toEqual([7, 1, 7]);
    expect([...run.testIndices]).toEqual([1, 2]);
    expect([...pointCode(run.models[0]!, 2)]).toEqual([5, 6]);
    expect([...run.images.subarray(0, 4)]).toEqual([0, 255, 51, 102]);
    expect(run.models[0]!.latent?.scores?.combined).toEqual([5, 6]);
    expect(run.models[0]!.metrics).toBeUndefined();
    expect(run.imageShape).toEqual([2, 2, 1]);
  });

  it('names the file when a binary has the wrong size', async () => {
    serve(files({ 'pca/codes.bin': new Uint8Array(20) }));
    await expect(loadRun(BASE)).rejects.toThrow(`${BASE}pca/codes.bin has 20 bytes, expected 24`);
  });

  it('names the file that is missing', async () => {
    serve(files({ 'points/split.bin': undefined }));
    await expect(loadRun(BASE)).rejects.toThrow(`cannot fetch ${BASE}points/split.bin (HTTP 404)`);
  });

  it('refuses a folder that is not a run', async () => {
    serve(files({ 'run.json': '{"format":"something-else"}' }));
    await expect(loadRun(BASE)).rejects.toMatchObject({ code: 'E_INPUT_FORMAT' });
  });
});

describe('normaliseRunUrl', () => {
  it('resolves relative run URLs against the page and ends them with a slash', () => {
    expect(normaliseRunUrl('run', 'http://h/viewer/index.html')).toBe('http://h/viewer/run/');
    expect(normaliseRunUrl('/data/x/', 'http://h/viewer/')).toBe('http://h/data/x/');
    expect(normaliseRunUrl('https://other/run', 'http://h/')).toBe('https://other/run/');
  });
});
