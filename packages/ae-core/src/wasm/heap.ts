import * as tf from '@tensorflow/tfjs';

/** The slice of tfjs-backend-wasm's BackendWasm that allocates tensors on its heap and views their values. */
interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

/** The wasm backend's heap methods, or undefined on other backends (or a build without them). */
function wasmHeapBackend(): WasmHeapBackend | undefined {
  if (tf.getBackend() !== 'wasm') return undefined;
  const backend = tf.backend() as unknown as Partial<WasmHeapBackend>;
  if (typeof backend.makeOutput !== 'function' || typeof backend.typedArrayFromHeap !== 'function') return undefined;
  return backend as WasmHeapBackend;
}

/** A tensor's float32 values as a view on the wasm backend's heap (no copy). */
export type HeapReader = (t: tf.Tensor) => Float32Array;

/** The wasm backend's heap view of a tensor, or undefined on other backends (whose writes may keep the array). */
export function heapReader(): HeapReader | undefined {
  const backend = wasmHeapBackend();
  return backend && ((t) => backend.typedArrayFromHeap({ dataId: t.dataId, shape: t.shape, dtype: 'float32' }));
}

/**
 * A new float32 tensor on the wasm backend's heap and a view of its (uninitialised) values to fill before any
 * other tensor is made (an allocation may grow the heap, which detaches the view); undefined on other backends.
 */
export function heapTensor(shape: number[]): { tensor: tf.Tensor; values: Float32Array } | undefined {
  const backend = wasmHeapBackend();
  if (!backend) return undefined;
  const info = backend.makeOutput(shape, 'float32');
  return { tensor: tf.engine().makeTensorFromTensorInfo(info), values: backend.typedArrayFromHeap(info) };
}
