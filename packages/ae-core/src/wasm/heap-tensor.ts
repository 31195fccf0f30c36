import * as tf from '@tensorflow/tfjs';

/** The slice of tfjs-backend-wasm's BackendWasm that allocates a tensor on its heap and views its values. */
interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

/**
 * A new float32 tensor on the wasm backend's heap and a view of its (uninitialised) values to fill before any
 * other tensor is made (an allocation may grow the heap, which detaches the view); undefined on other backends.
 */
export function heapTensor(shape: number[]): { tensor: tf.Tensor; values: Float32Array } | undefined {
  if (tf.getBackend() !== 'wasm') return undefined;
  const backend = tf.backend() as unknown as Partial<WasmHeapBackend>;
  if (typeof backend.makeOutput !== 'function' || typeof backend.typedArrayFromHeap !== 'function') return undefined;
  const info = backend.makeOutput(shape, 'float32');
  return { tensor: tf.engine().makeTensorFromTensorInfo(info), values: backend.typedArrayFromHeap(info) };
}
