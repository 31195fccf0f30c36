import { createBundle, ReducerRegistry } from '@latentkit/core';
import type { RunModelData } from '@latentkit/run';
import { describe, expect, it } from 'vitest';
import { missingPluginNotices } from './missing-plugins.js';

function model(dir: string, kind: string, plugin?: { name: string; version: string }): RunModelData {
  return { info: { dir, kind, displayName: dir.toUpperCase(), latentDim: 2, capabilities: ['encode', 'decode'], codes: false, ...(plugin ? { plugin } : {}) } };
}

const registry = new ReducerRegistry();
const manifestOf = (kind: string, plugin?: { name: string; version: string }) =>
  JSON.stringify({ ...createBundle({ kind, specVersion: 2, options: {}, inputShape: [4], latentDim: 2, blobs: {} }).manifest, ...(plugin ? { plugin } : {}) });

describe('missingPluginNotices', () => {
  it('names the package to install, from the bundle manifest, in the registry\'s words', async () => {
    const files: Record<string, string> = { 'http://h/run/nmf/manifest.json': manifestOf('nmf', { name: 'latentkit-nmf', version: '1.4.0' }) };
    const notices = await missingPluginNotices([model('nmf', 'nmf')], registry, (m) => `http://h/run/${m.info.dir}/`, async (url) =>
      files[String(url)] ? new Response(files[String(url)]) : new Response('', { status: 404 }),
    );
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/^NMF \(nmf\): this model needs reducer "nmf", which is not loaded: install latentkit-nmf@1\.4\.0/);
  });

  it('falls back to run.json\'s record of the plugin when the manifest cannot be read', async () => {
    const notices = await missingPluginNotices([model('x', 'nmf', { name: 'latentkit-nmf', version: '2.0.0' })], registry, () => 'http://h/run/x/', async () => new Response('', { status: 404 }));
    expect(notices[0]).toMatch(/install latentkit-nmf@2\.0\.0/);
  });

  it('says nothing about models whose reducer is loaded', async () => {
    const toy = {
      specVersion: 2,
      kind: 'toy',
      description: 'toy',
      capabilities: ['encode'],
      options: { '~standard': { version: 1, vendor: 'test', validate: (v: unknown) => ({ value: v }) } },
      fit: () => Promise.reject(new Error('not used')),
      load: () => Promise.reject(new Error('not used')),
    };
    const withToy = new ReducerRegistry().register(toy, 'latentkit-toy');
    const fetched: string[] = [];
    const fetchLogged = async (url: string | URL | Request) => {
      fetched.push(String(url));
      return new Response(manifestOf('nmf'));
    };
    const notices = await missingPluginNotices([model('toy', 'toy'), model('nmf', 'nmf')], withToy, (m) => `http://h/run/${m.info.dir}/`, fetchLogged);
    expect(fetched).toEqual(['http://h/run/nmf/manifest.json']);
    expect(notices).toEqual([expect.stringMatching(/^NMF \(nmf\): this model needs reducer "nmf", which is not loaded \(available: toy\)$/)]);
  });
});
