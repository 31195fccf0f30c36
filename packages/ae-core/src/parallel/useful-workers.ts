/**
 * Floating-point operations each thread's shard of a training step must do (forward pass) per weight that
 * travels to its replica and back for data parallelism to pay. Measured on 2 cores: dense-ae 784-256-64-16 at
 * batch 128 (≈440 per weight per shard on 2 threads) trained at 0.81× one thread's samples/s (0.51× once the
 * GEMM halved its single-thread step); conv-ae's default layout at batch 64 (≈7,000) at 1.83×; the lecture's
 * conv widths at batch 128 at 1.83–1.94×.
 */
export const MIN_SHARD_FLOPS_PER_WEIGHT = 2000;

/**
 * How many of the `requested` threads a training step can use: every shard (batchSize / threads rows) must do
 * at least MIN_SHARD_FLOPS_PER_WEIGHT per weight, else the weights' round trip costs more than the split
 * saves. Without a FLOP count the request stands. Deterministic: the same settings always give the same count
 * (the count changes the numbers, see the README), and `why` says in one line when it is lower.
 */
export function usefulWorkers(requested: number, flopsPerRow: number | undefined, batchSize: number, weights: number): { workers: number; why?: string } {
  if (requested <= 1 || flopsPerRow === undefined || !(weights > 0)) return { workers: requested };
  const perWeight = (threads: number) => (flopsPerRow * (batchSize / threads)) / weights;
  let workers = requested;
  while (workers > 1 && perWeight(workers) < MIN_SHARD_FLOPS_PER_WEIGHT) workers--;
  if (workers === requested) return { workers };
  const mflops = (flopsPerRow / 1e6).toPrecision(2);
  return {
    workers,
    why: `a step of ${batchSize} rows is too little work to split: ${mflops} MFLOP per row for ${weights.toLocaleString('en-US')} weights, ${Math.round(perWeight(requested))} FLOPs per weight per shard on ${requested} threads, at least ${MIN_SHARD_FLOPS_PER_WEIGHT} pay`,
  };
}
