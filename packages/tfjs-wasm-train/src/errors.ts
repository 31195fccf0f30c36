/**
 * Error thrown for inputs these kernels cannot handle (unsupported layout, dilation, dtype) or when
 * the wasm backend was not imported before registration. Plain `Error` subclass so this package
 * stays usable by any TensorFlow.js program.
 */
export class WasmTrainingKernelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WasmTrainingKernelError';
  }
}
