import type { DataType, TensorInfo } from '@tensorflow/tfjs-core';

/**
 * The slice of `BackendWasm` these kernels use. Typed structurally so the package does not need a
 * runtime import of the wasm backend (it is a peer dependency the user imports).
 */
export interface WasmBackendLike {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object, force?: boolean): boolean;
}

/**
 * A fresh Float32Array view of a tensor on the wasm heap. Must be re-fetched after any allocation:
 * growing the heap detaches earlier views.
 */
export function heapF32(backend: WasmBackendLike, info: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/** Allocates an uninitialised float32 tensor on the wasm heap. */
export function allocF32(backend: WasmBackendLike, shape: number[]): TensorInfo {
  return backend.makeOutput(shape, 'float32');
}

/** Frees intermediate tensors a kernel created (never its inputs or its returned output). */
export function freeAll(backend: WasmBackendLike, infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}
