import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { backendInfo, setupBackend, type BackendName } from './index.js';

describe('setupBackend', () => {
  it('defaults to wasm, is idempotent and switches only on request', async () => {
    expect(await setupBackend()).toBe('wasm');
    expect(await Promise.all([setupBackend(), setupBackend('wasm')])).toEqual(['wasm', 'wasm']);
    expect(tf.getBackend()).toBe('wasm');
    expect(await setupBackend('cpu')).toBe('cpu');
    expect(backendInfo().backend).toBe('cpu');
    expect(await setupBackend('wasm')).toBe('wasm');
  });

  it('refuses unknown backends instead of falling back', async () => {
    await expect(setupBackend('webgl' as BackendName)).rejects.toMatchObject({ code: 'E_OPTION' });
    expect(tf.getBackend()).toBe('wasm');
  });
});
