// Browser-safe entry: the same registration runs in Node, a page, or a Web Worker.
export { registerWasmTrainingKernels, unregisterWasmTrainingKernels } from './register.js';
export type { RegisterWasmTrainingKernelsOptions, RegisterWasmTrainingKernelsResult } from './register.js';
export { WasmTrainingKernelError } from './errors.js';
export { makeConv2DBackpropFilterConfig } from './conv2d-backprop-filter.js';
export { makeConv2DBackpropInputConfig } from './conv2d-backprop-input.js';
export { withExplicitTranspose } from './explicit-transpose-mat-mul.js';
export { untransposedMatMulFrom } from './untransposed-mat-mul.js';
export type { UntransposedMatMul } from './untransposed-mat-mul.js';
export { im2col, im2colTransposed, col2imAdd } from './im2col.js';
export type { ConvGeometry, ConvKernelOptions } from './conv-geometry.js';
export { gemmArithmetic } from './gemm/gemm-module.js';
export type { GemmArithmetic } from './gemm/gemm-module.js';
export { withGemm } from './gemm/gemm-mat-mul.js';
export { shareMemorySection, withSharedWasmHeap } from './shared-heap.js';
