import { describe, expect, it } from 'vitest';
import type { Capability } from '@latentkit/core';
import { ALL_CHECKS } from './checks/index.js';
import { CAPABILITY_SETS } from './__fixtures__/capability-sets.js';
import { failures } from './__fixtures__/failures.js';
import { FLAWS, toyPlugin, type Flaw, type ToyPluginInit } from './__fixtures__/toy-plugin.js';

const ENCODE_DECODE: readonly Capability[] = ['encode', 'decode'];
const VAE: readonly Capability[] = ['encode', 'decode', 'encode-distribution', 'sample', 'likelihood-bound'];
const STREAM: readonly Capability[] = ['encode', 'decode', 'fit-stream'];

/** For every check, a toy plugin with one flaw that must make exactly that check fail. */
const BREAKERS: Readonly<Record<string, { readonly flaw: Flaw } & Partial<ToyPluginInit>>> = {
  'plugin-shape': { flaw: 'emptyDescription' },
  'options-schema': { flaw: 'looseOptions' },
  'fit-model': { flaw: 'noParameters' },
  'fit-transform-embedding': { flaw: 'embeddingMissingRow', capabilities: ['fit-transform'] },
  'encode-shape': { flaw: 'encodeFloat64' },
  'encode-batching': { flaw: 'batchDependentEncode' },
  'encode-bad-input': { flaw: 'encodeNoShapeCheck' },
  'decode-shape': { flaw: 'decodeFloat64' },
  'decode-bad-input': { flaw: 'decodeNoShapeCheck' },
  reconstruction: { flaw: 'decodeIgnoresCodes' },
  'encode-distribution': { flaw: 'meanNotEncode', capabilities: VAE },
  sample: { flaw: 'sampleIgnoresSeed', capabilities: VAE },
  'likelihood-bound': { flaw: 'batchDependentBound', capabilities: VAE },
  'undeclared-absent': { flaw: 'strayDecode', capabilities: ['encode'] },
  'save-load': { flaw: 'lossySave' },
  'bundle-package': { flaw: 'stalePackage' },
  'load-other-kind': { flaw: 'ignoreKind' },
  determinism: { flaw: 'randomFit' },
  'partial-fit': { flaw: 'partialFitBreaks', capabilities: ['encode', 'decode', 'partial-fit'] },
  'fit-stream': { flaw: 'streamFitOneBatch', capabilities: STREAM },
  'fit-empty': { flaw: 'acceptsEmpty' },
  'fit-non-finite': { flaw: 'acceptsNonFinite' },
  'fit-abort': { flaw: 'ignoresAbort' },
  'latent-too-large': { flaw: 'acceptsFullLatent' },
  dispose: { flaw: 'disposeNoop' },
};

describe('every check can fail', () => {
  it('has a breaking toy plugin for every check, and a check for every flaw', () => {
    expect(Object.keys(BREAKERS).sort()).toEqual(ALL_CHECKS.map((c) => c.id).sort());
    expect(Object.values(BREAKERS).map((b) => b.flaw).sort()).toEqual([...FLAWS].sort());
  });

  for (const [id, { flaw, capabilities = ENCODE_DECODE }] of Object.entries(BREAKERS)) {
    it(`${id} fails, and only it, for a plugin with flaw "${flaw}"`, async () => {
      const failed = await failures(toyPlugin({ capabilities, flaws: [flaw], withPackage: true }));
      expect(Object.keys(failed)).toEqual([id]);
      expect(failed[id]).toMatch(/\S/);
    });
  }

  it('something that is not a plugin gets one failing check saying why', async () => {
    expect(await failures({ kind: 'nope', specVersion: 2 })).toEqual({ 'plugin-shape': 'plugin "nope" (the plugin under test) must define fit() and load()' });
    expect(await failures(42)).toEqual({ 'plugin-shape': 'the plugin under test does not export a reducer plugin (got number)' });
  });

  it('the dispose check fails when a disposed model still encodes, naming the operation', async () => {
    const failed = await failures(toyPlugin({ capabilities: ['encode'], flaws: ['disposeNoop'] }));
    expect(failed.dispose).toBe('encode() after dispose() should throw a LatentkitError, but succeeded');
  });

  it('the fit-stream check names the rows a stream fit skipped', async () => {
    const failed = await failures(toyPlugin({ capabilities: STREAM, flaws: ['streamFitOneBatch'] }));
    expect(failed['fit-stream']).toBe('fitStream reported train MSE over 10 rows, but the source gave 96');
  });

  it('with a declared streamTolerance, the fit-stream check compares the codes of a streamed and a plain fit', async () => {
    expect(await failures(toyPlugin({ capabilities: STREAM }), { streamTolerance: 1e-5 })).toEqual({});
    // randomFit jitters every fit's mean by up to 1e-3, so the two fits' codes drift apart.
    const failed = await failures(toyPlugin({ capabilities: STREAM, flaws: ['randomFit'] }), { streamTolerance: 1e-5 });
    expect(failed['fit-stream']).toMatch(/^codes of a streamed fit and a plain fit \(seed 7\) differ by up to \S+, beyond the declared streamTolerance 0\.00001$/);
  });

  it('the likelihood-bound check names the batching that changed a row\'s bound', async () => {
    const failed = await failures(toyPlugin({ capabilities: VAE, flaws: ['batchDependentBound'] }));
    expect(failed['likelihood-bound']).toMatch(/^bounds of rows 0–31 then 32–95 and of all 96 rows at once differ by up to \S+ \(relative, tolerance 0\.00001\): a row's bound depends on its batch$/);
  });

  it('the reconstruction check names both errors', async () => {
    const failed = await failures(toyPlugin({ capabilities: ENCODE_DECODE, flaws: ['decodeIgnoresCodes'] }));
    expect(failed.reconstruction).toMatch(/^reconstruction MSE (\S+) does not beat predicting the column mean \(MSE \1\)$/);
  });
});

describe('a correct plugin of each capability set passes every check chosen for it', () => {
  for (const [label, capabilities] of Object.entries(CAPABILITY_SETS)) {
    it(label, async () => {
      const plugin = toyPlugin({ capabilities, withPackage: true });
      expect(await failures(plugin)).toEqual({});
    });
  }

  it('on flat (non-image) data too', async () => {
    const { toyImages } = await import('./toy-data.js');
    const images = toyImages(40, 3);
    const flat = { name: 'flat', x: images.x };
    expect(await failures(toyPlugin({ capabilities: ENCODE_DECODE }), { dataset: flat, settings: { latentDim: 5 } })).toEqual({});
  });
});
