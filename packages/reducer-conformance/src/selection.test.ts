import { describe, expect, it } from 'vitest';
import type { Capability } from '@latentkit/core';
import { conformanceChecks } from './suite.js';
import { toyPlugin } from './__fixtures__/toy-plugin.js';

const ids = (capabilities: readonly Capability[], withPackage = false) => conformanceChecks(toyPlugin({ capabilities, withPackage })).map((c) => c.id);

const EVERY_REDUCER = ['plugin-shape', 'options-schema', 'fit-model', 'save-load', 'load-other-kind', 'determinism', 'fit-empty', 'fit-non-finite', 'fit-abort', 'latent-too-large', 'dispose'];
const ENCODE = ['encode-shape', 'encode-batching', 'encode-bad-input'];
const DECODE = ['decode-shape', 'decode-bad-input', 'reconstruction'];

describe('checks are chosen by declared capabilities', () => {
  it('an encode-only reducer gets the encode checks and no decode, sample or partial-fit checks', () => {
    const got = ids(['encode']);
    expect(got).toEqual(expect.arrayContaining([...EVERY_REDUCER, ...ENCODE, 'undeclared-absent']));
    for (const id of [...DECODE, 'encode-distribution', 'sample', 'likelihood-bound', 'partial-fit', 'fit-transform-embedding']) expect(got).not.toContain(id);
  });

  it('an encode+decode reducer adds the decode checks', () => {
    const got = ids(['encode', 'decode']);
    expect(got).toEqual(expect.arrayContaining([...EVERY_REDUCER, ...ENCODE, ...DECODE]));
    expect(got).not.toContain('sample');
  });

  it('a fit-transform-only reducer gets the embedding check and no encode checks', () => {
    const got = ids(['fit-transform']);
    expect(got).toContain('fit-transform-embedding');
    for (const id of [...ENCODE, ...DECODE]) expect(got).not.toContain(id);
  });

  it('distribution, sample, likelihood-bound and partial-fit checks come with their capabilities', () => {
    expect(ids(['encode', 'encode-distribution', 'sample'])).toEqual(expect.arrayContaining(['encode-distribution', 'sample']));
    expect(ids(['encode', 'encode-distribution', 'sample'])).not.toContain('likelihood-bound');
    expect(ids(['encode', 'likelihood-bound'])).toContain('likelihood-bound');
    expect(ids(['encode', 'partial-fit'])).toContain('partial-fit');
  });

  it('the fit-stream check comes only with "fit-stream"', () => {
    expect(ids(['encode', 'decode', 'fit-stream'])).toContain('fit-stream');
    expect(ids(['encode', 'decode'])).not.toContain('fit-stream');
  });

  it('a reducer declaring every capability has nothing undeclared to check', () => {
    const all: Capability[] = ['encode', 'decode', 'fit-transform', 'encode-distribution', 'sample', 'likelihood-bound', 'partial-fit', 'fit-stream'];
    expect(ids(all)).not.toContain('undeclared-absent');
  });

  it('the bundle-package check applies only to plugins declaring a package', () => {
    expect(ids(['encode'], true)).toContain('bundle-package');
    expect(ids(['encode'], false)).not.toContain('bundle-package');
  });

  it('every check carries the capability it exercises, and dispose runs last', () => {
    const checks = conformanceChecks(toyPlugin({ capabilities: ['encode', 'decode', 'encode-distribution', 'sample', 'likelihood-bound'] }));
    expect(checks.find((c) => c.id === 'decode-shape')?.capability).toBe('decode');
    expect(checks.find((c) => c.id === 'sample')?.capability).toBe('sample');
    expect(checks.find((c) => c.id === 'likelihood-bound')?.capability).toBe('likelihood-bound');
    expect(checks.find((c) => c.id === 'fit-model')?.capability).toBeUndefined();
    expect(checks.at(-1)?.id).toBe('dispose');
  });
});
