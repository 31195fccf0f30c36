import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runConformance } from './report.js';
import { conformanceChecks } from './suite.js';
import { toyImages } from './toy-data.js';
import { toyPlugin } from './__fixtures__/toy-plugin.js';

const encodeDecode = ['encode', 'decode'] as const;

describe('suite settings are validated up front, through the plugin\'s own schema', () => {
  it('passes options a plugin has (epochs for an autoencoder-like plugin)', async () => {
    const plugin = toyPlugin({ capabilities: encodeDecode, withEpochs: true });
    const report = await runConformance(plugin, { settings: { latentDim: 4, options: { epochs: 1 } } });
    expect(report.results.filter((r) => !r.passed)).toEqual([]);
    expect(report.passed).toBe(true);
  });

  it('refuses an option the plugin lacks in one line naming it and the plugin\'s options, before any check', () => {
    const plugin = toyPlugin({ capabilities: encodeDecode });
    expect(() => conformanceChecks(plugin, { settings: { options: { epochs: 1 } } })).toThrow(
      expect.objectContaining({ code: 'E_OPTION', message: expect.stringMatching(/^conformance settings for reducer "toy": settings.options are not valid for this plugin: .*epochs.* \(its options: scale\)$/) }),
    );
  });

  it('refuses options out of the schema\'s bounds', () => {
    expect(() => conformanceChecks(toyPlugin({ capabilities: encodeDecode }), { settings: { options: { scale: -1 } } })).toThrow(/settings.options are not valid for this plugin: scale: /);
  });

  it('refuses the v1 layout (options at the top level) with a hint', () => {
    expect(() => conformanceChecks(toyPlugin({ capabilities: encodeDecode }), { options: { scale: 2 } } as never)).toThrow(
      'conformance settings for reducer "toy": unknown key "options" (put it in settings: { options }); known: settings, dataset, seed, batchTolerance, streamTolerance',
    );
  });

  it('refuses a negative or NaN streamTolerance', () => {
    const plugin = toyPlugin({ capabilities: encodeDecode });
    expect(() => conformanceChecks(plugin, { streamTolerance: -1 })).toThrow('conformance settings for reducer "toy": streamTolerance must be ≥ 0, got -1');
    expect(() => conformanceChecks(plugin, { streamTolerance: Number.NaN })).toThrow(/streamTolerance must be ≥ 0, got NaN/);
  });

  it('refuses latentDim ≥ the data\'s features, a tiny dataset, and flat data for an image reducer', () => {
    const plugin = toyPlugin({ capabilities: encodeDecode });
    expect(() => conformanceChecks(plugin, { settings: { latentDim: 64 } })).toThrow("latentDim 64 must be below the dataset's 64 features");
    expect(() => conformanceChecks(plugin, { dataset: toyImages(8) })).toThrow('the dataset needs at least 16 rows, got 8');
    const images = { ...plugin, requiresImages: true };
    expect(() => conformanceChecks(images, { dataset: { name: 'flat', x: toyImages().x } })).toThrow('this reducer requires images, but the dataset has no imageShape');
  });

  it('an async schema is validated with the first fit: a bad option then fails the checks that fit', async () => {
    const plugin = toyPlugin({ capabilities: encodeDecode });
    const asyncSchema = z.strictObject({ scale: z.number().default(1).describe('scale').refine(async () => true) });
    const report = await runConformance({ ...plugin, options: asyncSchema }, { settings: { options: { epochs: 1 } } });
    const fitModel = report.results.find((r) => r.id === 'fit-model');
    expect(fitModel?.passed).toBe(false);
    expect(fitModel?.error).toMatch(/settings.options are not valid for this plugin: .*epochs/);
    expect(report.results.find((r) => r.id === 'plugin-shape')?.passed).toBe(true);
  });
});
