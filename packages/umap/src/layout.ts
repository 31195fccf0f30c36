import { LatentkitError } from '@latentkit/core';
import { instantiateLayoutKernel, planLayoutMemory } from './wasm/layout-kernel.js';
import { seedKernelRng } from './wasm/place-kernel.js';

/** What the layout starts from: umap-js 1.4.0's state after initializeFit (see layout-setup.ts). */
export interface LayoutInput {
  readonly rows: number;
  readonly dim: number;
  readonly epochs: number;
  /** Initial positions, rows × dim, row-major. */
  readonly embedding: Float64Array;
  /** Edges in umap-js's order: head moves towards tail (and tail towards head). */
  readonly head: Int32Array;
  readonly tail: Int32Array;
  readonly epochsPerSample: Float64Array;
  /** The curve 1 / (1 + a·r^(2b)). */
  readonly a: number;
  readonly b: number;
}

// umap-js's defaults, which the fit never changes: learning rate, repulsion strength (gamma) and
// negative samples per positive one.
const LEARNING_RATE = 1.0;
const REPULSION_STRENGTH = 1.0;
const NEGATIVE_SAMPLE_RATE = 5;

/** A layout being optimised, epoch by epoch, in the WebAssembly kernel. */
export interface LayoutRun {
  readonly epochs: number;
  readonly rows: number;
  readonly dim: number;
  /** Runs the next epoch (umap-js's step()). */
  step(): void;
  /** The layout now, rows × dim float64, row-major (a copy). */
  embedding(): Float64Array;
  /** Lets the kernel and its memory go; step() and embedding() throw afterwards. */
  dispose(): void;
}

// The largest memory a WebAssembly instance can be given here (32-bit offsets, signed in our arithmetic).
const MAX_KERNEL_BYTES = 2 ** 31;

/**
 * Runs the layout's epochs in a layout.wat kernel, each exactly what umap-js's step() does, bit for bit (see
 * layout.wat): the input's positions, edges and sampling periods are copied into kernel memory, with the
 * per-edge schedule umap-js derives from them (next sample at epochsPerSample, negatives every fifth of it).
 * umap-js draws from `random` = createRng(seed).next; `drawsSoFar` is how many numbers were drawn before the
 * layout (the initial positions), so the kernel's copy of the RNG continues where those draws stopped.
 */
export async function startLayout(input: LayoutInput, seed: number, drawsSoFar: number): Promise<LayoutRun> {
  const { dim, rows, epochs } = input;
  const edges = input.head.length;
  const plan = planLayoutMemory(rows, dim, edges);
  if (plan.bytes > MAX_KERNEL_BYTES) {
    throw new LatentkitError('E_OPTION', `reducer "umap": the layout of ${rows} rows × ${dim} with ${edges} edges needs ${Math.ceil(plan.bytes / 2 ** 20)} MB, more than the 2 GB a WebAssembly kernel can hold; fit fewer rows or a smaller nNeighbors`);
  }
  let instance: Awaited<ReturnType<typeof instantiateLayoutKernel>> | undefined = await instantiateLayoutKernel(plan.bytes);
  const { kernel } = instance;
  const buffer = instance.memory.buffer;
  new Float64Array(buffer, plan.embedding, rows * dim).set(input.embedding);
  new Float64Array(buffer, plan.perSample, edges).set(input.epochsPerSample);
  new Float64Array(buffer, plan.nextSample, edges).set(input.epochsPerSample);
  const perNegative = new Float64Array(buffer, plan.perNegative, edges);
  for (let e = 0; e < edges; e++) perNegative[e] = input.epochsPerSample[e]! / NEGATIVE_SAMPLE_RATE;
  new Float64Array(buffer, plan.nextNegative, edges).set(perNegative);
  new Int32Array(buffer, plan.head, edges).set(input.head);
  new Int32Array(buffer, plan.tail, edges).set(input.tail);
  // umap-js computes these as -2.0 * a * b and 2.0 * gamma * b (left to right), once per use.
  kernel.setup(plan.embedding, dim, rows, edges, plan.head, plan.tail, plan.perSample, plan.nextSample, plan.nextNegative, plan.perNegative,
    input.a, input.b, -2.0 * input.a * input.b, 2.0 * REPULSION_STRENGTH * input.b);
  seedKernelRng(kernel, seed);
  for (let left = drawsSoFar; left > 0; left -= 2 ** 30) kernel.skipDraws(Math.min(left, 2 ** 30));

  let n = 0;
  let alpha = LEARNING_RATE;
  const current = () => {
    if (!instance) throw new LatentkitError('E_NOT_FITTED', 'umap layout: used after dispose()');
    return instance;
  };
  return {
    epochs,
    rows,
    dim,
    step() {
      const { kernel: live } = current();
      if (n >= epochs) return;
      live.epoch(n, alpha);
      alpha = LEARNING_RATE * (1.0 - n / epochs);
      n++;
    },
    embedding: () => new Float64Array(current().memory.buffer, plan.embedding, rows * dim).slice(),
    dispose() {
      instance = undefined;
    },
  };
}
