import { Identity } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

/** The slice of BackendWasm that counts references to a tensor's memory (Reshape uses it the same way). */
interface RefCountingBackend {
  incRef(dataId: object): void;
}

/**
 * Wraps the wasm Identity kernel so a numeric identity shares its input's memory (one more reference)
 * instead of copying it. tfjs clones every tensor a kernel saves for its gradient through Identity, so
 * upstream copied each saved activation once per training step (≈1.3 ms per 128×24×24×32 tensor). Sharing is
 * safe because no wasm kernel writes into an existing tensor: Reshape already shares memory this way.
 * Strings keep the original kernel.
 */
export function withSharedIdentity(original: KernelConfig): KernelConfig {
  const originalFunc = original.kernelFunc;
  const kernelFunc = (args: Parameters<KernelFunc>[0]) => {
    const { x } = args.inputs as { x: TensorInfo };
    if (x.dtype === 'string') return originalFunc(args);
    (args.backend as unknown as RefCountingBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
  return { ...original, kernelName: Identity, kernelFunc: kernelFunc as KernelFunc };
}
