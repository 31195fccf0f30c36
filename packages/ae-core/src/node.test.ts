import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wasmAssetDirectory, wasmAssetUrl } from './node.js';

describe('wasm asset location', () => {
  it('points at the folder holding the backend binaries', () => {
    expect(existsSync(join(wasmAssetDirectory(), 'tfjs-backend-wasm-simd.wasm'))).toBe(true);
    expect(wasmAssetUrl()).toMatch(/^file:\/\/.*\/$/);
  });
});
