import type { TensorInfo } from '@tensorflow/tfjs-core';
import { WasmTrainingKernelError } from './errors.js';

/** These kernels work on float32 heap views only; say which input is not. */
export function requireFloat32(kernelName: string, inputs: Record<string, TensorInfo>): void {
  for (const [name, info] of Object.entries(inputs)) {
    if (info.dtype !== 'float32') {
      throw new WasmTrainingKernelError(
        `${kernelName} (wasm training kernels): input '${name}' has dtype ${info.dtype}, expected float32`,
      );
    }
  }
}
