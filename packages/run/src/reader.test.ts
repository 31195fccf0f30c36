import { describe, expect, it } from 'vitest';
import { fetchRunReader } from './fetch-reader.js';
import { labelName, loadRun, pointCode, type RunFileReader } from './reader.js';

/** A 3-point run of 2×2 images: an encode+decode model with codes and an encode-only model. */
function files(overrides: Record<string, Uint8Array | string | undefined> = {}): Map<string, Uint8Array | string> {
  const manifest = {
    format: 'latentkit-run',
    formatVersion: 2,
    createdAt: '2024-01-01T00:00:00Z',
    seed: 0,
    data: { spec: 'test', name: 'tiny', n: 3, features: 4, imageShape: [2, 2, 1], labelNames: ['zero', 'one'], hasLabels: true },
    models: [
      { dir: 'lin', kind: 'lin', displayName: 'Linear', latentDim: 2, capabilities: ['encode', 'decode'], codes: true, testMse: 0.1 },
      { dir: 'ft', kind: 'ft', displayName: 'FT', latentDim: 2, capabilities: ['fit-transform'], codes: false },
    ],
  };
  const m = new Map<string, Uint8Array | string>([
    ['run.json', JSON.stringify(manifest)],
    ['points/images.bin', Uint8Array.from([0, 255, 51, 102, 1, 2, 3, 4, 5, 6, 7, 8])],
    ['points/labels.bin', new Uint8Array(Int32Array.from([1, 0, 1]).buffer)],
    ['points/split.bin', Uint8Array.from([0, 1, 1])],
    ['lin/codes.bin', new Uint8Array(Float32Array.from([1, 2, 3, 4, 5, 6]).buffer)],
    ['lin/latent.json', JSON.stringify({ scores: { reconstruction: [1, 2], density: [3, 4], combined: [5, 6] } })],
  ]);
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) m.delete(k);
    else m.set(k, v);
  }
  return m;
}

/** The run of files() with `hasIds` in run.json and the given points/ids.json (undefined: no file). */
function withIds(idsJson: string | undefined): Map<string, Uint8Array | string> {
  const m = files({ 'points/ids.json': idsJson });
  const manifest = JSON.parse(m.get('run.json') as string);
  m.set('run.json', JSON.stringify({ ...manifest, data: { ...manifest.data, hasIds: true } }));
  return m;
}

const reader = (map: Map<string, Uint8Array | string>): RunFileReader => async (path) => {
  const body = map.get(path);
  return typeof body === 'string' ? new TextEncoder().encode(body) : body;
};

describe('loadRun', () => {
  it('reads points, labels, split, and codes only where the model has them', async () => {
    const run = await loadRun(reader(files()));
    expect(run.n).toBe(3);
    expect([...run.labels!]).toEqual([1, 0, 1]);
    expect([...run.testIndices]).toEqual([1, 2]);
    expect([...run.images.subarray(0, 4)]).toEqual([0, 255, 51, 102]);
    expect(run.imageShape).toEqual([2, 2, 1]);
    const [lin, ft] = run.models;
    expect([...pointCode(lin!, 2)]).toEqual([5, 6]);
    expect(lin!.latent?.scores?.combined).toEqual([5, 6]);
    expect(ft!.codes).toBeUndefined();
    expect(() => pointCode(ft!, 0)).toThrow('model "ft" (ft) has no codes for the run\'s points');
    expect(labelName(run, 0)).toBe('one');
  });

  it('names the file (as the caller names it) when a binary has the wrong size or is missing', async () => {
    const name = (p: string) => `http://x/run/${p}`;
    await expect(loadRun(reader(files({ 'lin/codes.bin': new Uint8Array(20) })), { name })).rejects.toThrow('http://x/run/lin/codes.bin has 20 bytes, expected 24');
    await expect(loadRun(reader(files({ 'points/split.bin': undefined })), { name })).rejects.toThrow('http://x/run/points/split.bin is missing');
    await expect(loadRun(reader(files({ 'points/labels.bin': new Uint8Array(4) })))).rejects.toThrow('points/labels.bin has 4 bytes, expected 12');
  });

  it('refuses latent.json scores that do not match the test points, and broken JSON', async () => {
    await expect(loadRun(reader(files({ 'lin/latent.json': JSON.stringify({ scores: { density: [1, 2, 3] } }) })))).rejects.toThrow('lin/latent.json: scores.density has 3 values, expected one per test point (2)');
    await expect(loadRun(reader(files({ 'lin/metrics.json': '{oops' })))).rejects.toThrow(/^lin\/metrics\.json is not valid JSON/);
  });

  it('reads row ids from points/ids.json when run.json says there are some, and none otherwise', async () => {
    const ids = JSON.stringify(['a-17', 'b-02', 42]);
    expect((await loadRun(reader(files()))).ids).toBeUndefined();
    // Runs without hasIds (written before ids, or data without an id column) never ask for the file.
    const asked: string[] = [];
    const spy: RunFileReader = async (path) => (asked.push(path), reader(files({ 'points/ids.json': ids }))(path));
    expect((await loadRun(spy)).ids).toBeUndefined();
    expect(asked).not.toContain('points/ids.json');
    const run = await loadRun(reader(withIds(ids)));
    expect(run.ids).toEqual(['a-17', 'b-02', '42']);
  });

  it('refuses ids.json that is missing, has the wrong count or a non-text id, naming the file', async () => {
    await expect(loadRun(reader(withIds(undefined)))).rejects.toThrow('points/ids.json is missing (run.json says the points have ids)');
    await expect(loadRun(reader(withIds(JSON.stringify(['a', 'b']))))).rejects.toThrow('points/ids.json has 2 ids, expected one id per point (3)');
    await expect(loadRun(reader(withIds(JSON.stringify({ a: 1 }))))).rejects.toThrow('points/ids.json has no JSON array, expected one id per point (3)');
    await expect(loadRun(reader(withIds(JSON.stringify(['a', null, 'c']))))).rejects.toThrow('points/ids.json: id 1 is null, expected a string');
  });

  it('wraps a failing reader in one E_IO line naming the file', async () => {
    const failing: RunFileReader = async () => {
      throw new Error('disk on fire');
    };
    await expect(loadRun(failing)).rejects.toMatchObject({ code: 'E_IO', message: 'cannot read run.json (disk on fire)' });
  });
});

describe('fetchRunReader', () => {
  it('reads over HTTP: 404 is an absent file, other statuses an error naming the URL', async () => {
    const map = files();
    const fake = (async (url: string) => {
      const path = url.slice('http://host/runs/demo/'.length);
      if (path === 'boom') return new Response('', { status: 500 });
      const body = map.get(path);
      return body === undefined ? new Response('', { status: 404 }) : new Response(typeof body === 'string' ? body : body.slice());
    }) as typeof fetch;
    const read = fetchRunReader('http://host/runs/demo', fake);
    expect(await read('lin/metrics.json')).toBeUndefined();
    await expect(read('boom')).rejects.toThrow('cannot fetch http://host/runs/demo/boom (HTTP 500)');
    const run = await loadRun(read);
    expect(run.models.map((m) => m.info.dir)).toEqual(['lin', 'ft']);
  });
});
