import { describe, expect, it } from 'vitest';
import '@tensorflow/tfjs';
import { WasmTrainingKernelError, registerWasmTrainingKernels } from './index.js';

// Runs in its own worker (vitest's forks pool), where the wasm backend was never imported.
describe('registerWasmTrainingKernels without the wasm backend', () => {
  it('says to import @tensorflow/tfjs-backend-wasm first', () => {
    expect(() => registerWasmTrainingKernels()).toThrow(WasmTrainingKernelError);
    expect(() => registerWasmTrainingKernels()).toThrow(/import '@tensorflow\/tfjs-backend-wasm' first/);
  });
});
