import { describe, expect, it } from 'vitest';
import { checkCapabilities, modelCapabilities, requireCapability } from './capabilities.js';
import { canReconstruct, reconstruct } from './model-ops.js';
import { createMatrix } from './matrix.js';
import type { Reducer } from './reducer.js';

const encodeOnly = { kind: 'umap', capabilities: ['encode'], encode: async (x: unknown) => x } as unknown as Reducer;

describe('capabilities', () => {
  it('a missing capability is one E_UNSUPPORTED naming the reducer and the capability', async () => {
    expect(() => requireCapability(encodeOnly, 'decode', 'interpolation')).toThrow('reducer "umap" does not support decode (needed for interpolation)');
    await expect(reconstruct(encodeOnly, createMatrix(1, 1, [1]))).rejects.toMatchObject({ code: 'E_UNSUPPORTED', message: 'reducer "umap" does not support decode (needed for reconstruction)' });
    expect(canReconstruct(encodeOnly)).toBe(false);
    expect(canReconstruct({ capabilities: ['encode', 'decode'] })).toBe(true);
    expect(() => requireCapability(encodeOnly, 'likelihood-bound', 'anomaly scores')).toThrow('reducer "umap" does not support likelihood-bound (needed for anomaly scores)');
  });
  it('validates declared lists', () => {
    expect(checkCapabilities(['fit-transform'], 'p')).toEqual(['fit-transform']);
    expect(() => checkCapabilities('encode', 'p')).toThrow(/must declare its capabilities/);
    expect(checkCapabilities(['encode', 'fit-stream'], 'p')).toEqual(['encode', 'fit-stream']);
    expect(checkCapabilities(['encode', 'likelihood-bound'], 'p')).toEqual(['encode', 'likelihood-bound']);
    expect(() => checkCapabilities(['fit-transform', 'fit-stream'], 'p')).toThrow('plugin p declares "fit-stream" without "encode": a streamed fit keeps no rows, so its model must encode them');
  });
  it('tells plugin-only capabilities from those of fitted models', () => {
    expect(modelCapabilities(['encode', 'fit-stream', 'decode'])).toEqual(['encode', 'decode']);
  });
});
