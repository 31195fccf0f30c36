import { BatchMatMul, Conv2D, Conv2DBackpropFilter, Conv2DBackpropInput, Identity, Sum, _FusedMatMul, engine, getKernel, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import type { KernelBackend, KernelConfig } from '@tensorflow/tfjs-core';
import { makeConv2DBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { makeConv2DBackpropInputConfig } from './conv2d-backprop-input.js';
import { withExplicitTranspose } from './explicit-transpose-mat-mul.js';
import { withGemm } from './gemm/gemm-mat-mul.js';
import { withColumnSum } from './column-sum.js';
import { withShiftedConv2d } from './conv2d-gemm.js';
import { withSharedIdentity } from './shared-identity.js';
import { untransposedMatMulFrom } from './untransposed-mat-mul.js';
import { WasmTrainingKernelError } from './errors.js';

const BACKEND = 'wasm';

/**
 * Marks configs this package installed and remembers the config each one replaced (null when the
 * kernel was missing). A global symbol so two copies of the package still recognise each other.
 */
const REPLACED = Symbol.for('@latentkit/tfjs-wasm-train/replaced');
type OwnConfig = KernelConfig & { [REPLACED]?: KernelConfig | null };

export interface RegisterWasmTrainingKernelsOptions {
  /** Replace BatchMatMul and _FusedMatMul with variants that transpose explicitly first. Default true. */
  fastBatchMatMul?: boolean;
}

export interface RegisterWasmTrainingKernelsResult {
  /** Kernel names that now run this package's implementation on the wasm backend. */
  registered: string[];
}

function isOwn(config: KernelConfig | undefined): config is OwnConfig {
  return config !== undefined && REPLACED in config;
}

/** The kernel registered before this package touched it (undefined when there was none). */
function originalKernel(kernelName: string): KernelConfig | undefined {
  const current = getKernel(kernelName, BACKEND);
  return isOwn(current) ? (current[REPLACED] ?? undefined) : current;
}

/** The wasm backend instance if it was already created; never triggers its initialisation. */
function liveWasmBackend(): KernelBackend | undefined {
  return (engine().registry as Record<string, KernelBackend | undefined>)[BACKEND];
}

/** Puts `config` in the registry without the "already registered" warning, running its setup if needed. */
function putKernel(config: KernelConfig): void {
  if (getKernel(config.kernelName, BACKEND) !== undefined) unregisterKernel(config.kernelName, BACKEND);
  registerKernel(config);
  // tfjs runs setupFunc only when a backend is initialised; a backend that already exists needs it now.
  const backend = liveWasmBackend();
  if (backend !== undefined && config.setupFunc !== undefined) config.setupFunc(backend);
}

function install(config: KernelConfig): void {
  const own: OwnConfig = { ...config, [REPLACED]: originalKernel(config.kernelName) ?? null };
  putKernel(own);
}

/** Puts back whatever this package replaced for `kernelName`; returns whether anything changed. */
function restore(kernelName: string): boolean {
  const current = getKernel(kernelName, BACKEND);
  if (!isOwn(current)) return false;
  const replaced = current[REPLACED];
  if (replaced) putKernel(replaced);
  else unregisterKernel(kernelName, BACKEND);
  return true;
}

/**
 * Registers the kernels TensorFlow.js's wasm backend needs to train conv nets, and fast ones:
 * Conv2DBackpropFilter (missing upstream), Conv2DBackpropInput (upstream's is a slow direct loop),
 * Conv2D (an implicit GEMM), Sum (bias gradients without a full transpose), Identity (shares memory
 * instead of copying: tfjs clones every tensor saved for a gradient)
 * and, unless `fastBatchMatMul: false`, BatchMatMul/_FusedMatMul that never use the slow transposed
 * path. Idempotent: calling it again re-applies the requested set. Import
 * '@tensorflow/tfjs-backend-wasm' first. Safe before or after `tf.setBackend('wasm')`.
 */
export function registerWasmTrainingKernels(
  options: RegisterWasmTrainingKernelsOptions = {},
): RegisterWasmTrainingKernelsResult {
  const fastBatchMatMul = options.fastBatchMatMul ?? true;
  const batchMatMul = originalKernel(BatchMatMul);
  if (batchMatMul === undefined) {
    throw new WasmTrainingKernelError(
      "registerWasmTrainingKernels: no BatchMatMul kernel for backend 'wasm'; import '@tensorflow/tfjs-backend-wasm' first",
    );
  }
  const matMul = untransposedMatMulFrom(batchMatMul.kernelFunc);
  install(makeConv2DBackpropFilterConfig(matMul));
  install(makeConv2DBackpropInputConfig(matMul));
  const registered = [Conv2DBackpropFilter, Conv2DBackpropInput];
  const conv2d = originalKernel(Conv2D);
  if (conv2d !== undefined) {
    install(withShiftedConv2d(conv2d));
    registered.push(Conv2D);
  }
  const sum = originalKernel(Sum);
  if (sum !== undefined) {
    install(withColumnSum(sum));
    registered.push(Sum);
  }
  const identity = originalKernel(Identity);
  if (identity !== undefined) {
    install(withSharedIdentity(identity));
    registered.push(Identity);
  }
  for (const kernelName of [BatchMatMul, _FusedMatMul]) {
    const original = originalKernel(kernelName);
    if (fastBatchMatMul && original !== undefined) {
      const explicit = withExplicitTranspose(original);
      install(kernelName === BatchMatMul ? withGemm(explicit) : explicit);
      registered.push(kernelName);
    } else {
      restore(kernelName);
    }
  }
  return { registered };
}

/** Puts back every wasm kernel this package replaced (or removes ones it added). Returns their names. */
export function unregisterWasmTrainingKernels(): { restored: string[] } {
  const names = [Conv2DBackpropFilter, Conv2DBackpropInput, Conv2D, Sum, Identity, BatchMatMul, _FusedMatMul];
  return { restored: names.filter((name) => restore(name)) };
}
