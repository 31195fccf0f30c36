// Training throughput of an autoencoder definition on 1 or N threads (ae-core's trainModel with worker
// replicas), for the dense-ae and conv-ae benches. They pass their own modules so this file resolves nothing.
import os from 'node:os';

/** LATENTKIT_BENCH_QUICK=1: a smoke run (few batches) that checks the bench works; its figures are not comparable. */
export const BENCH_QUICK = process.env.LATENTKIT_BENCH_QUICK === '1';

/** `full` batches, or a few under LATENTKIT_BENCH_QUICK (more than the N-thread warm-up's N batches). */
export function benchBatches(full, quick = Math.min(full, Math.max(6, 2 * BENCH_WORKERS))) {
  return BENCH_QUICK ? quick : full;
}

/** Threads the bench compares against one: the machine's cores (at least 2, so the parallel path runs). */
export const BENCH_WORKERS = Math.max(2, os.availableParallelism?.() ?? os.cpus().length);

/** Random rows in [0, 1); throughput does not depend on pixel content. */
export function randomRows(rows, cols, seed) {
  let s = seed >>> 0;
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 4294967296;
  }
  return { data, rows, cols };
}

/**
 * The 1-thread row, then the `workers`-thread row with `speedupVsOneWorker` (its samples/s ÷ the 1-thread
 * row's, same run). `useTrainingWorkers` comes from '@latentkit/ae-core/node', as the CLI enables workers.
 */
export async function measureThreadPair({ workers = BENCH_WORKERS, asFitPicks = false, ...common }) {
  const one = await measureTraining({ ...common, workers: 1 });
  const many = await measureTraining({ ...common, workers });
  if (one.error || many.error) return [one, many];
  const speedup = (row) => Number((row.samplesPerSecond / one.samplesPerSecond).toFixed(2));
  const speedupVsOneWorker = speedup(many);
  common.log?.(`${common.name}: ×${workers} threads run ${speedupVsOneWorker}× the samples/s of ×1`);
  const rows = [one, { ...many, speedupVsOneWorker }];
  // The same request as a fit makes it (usefulWorkers deciding): where replicas do not pay, one thread and a helper.
  if (asFitPicks) {
    const picked = await measureTraining({ ...common, workers, asFitPicks });
    if (!picked.error) rows.push({ ...picked, speedupVsOneWorker: speedup(picked) });
  }
  return rows;
}

/**
 * One epoch of `batches` batches through trainModel on `workers` threads (after a one-batch warm-up that
 * grows the wasm heaps and starts XNNPACK); returns a bench row with samples/s, or with `error` (and no
 * figures) when the run did not get its `workers` threads.
 */
export async function measureTraining({ aeCore, useTrainingWorkers, createRng, def, moduleUrl, exportName, inputShape, latentDim, options = {}, batch = 128, batches, workers, asFitPicks = false, name, log = () => {} }) {
  if (workers > 1) {
    if (typeof useTrainingWorkers !== 'function') throw new Error(`${name}: measureTraining needs useTrainingWorkers from '@latentkit/ae-core/node' for ${workers} threads`);
    useTrainingWorkers();
  }
  await aeCore.setupBackend('wasm');
  const context = { kind: def.kind, inputShape, latentDim, options: def.options.parse({ ...options, epochs: 1, batchSize: batch, validationSplit: 0 }) };
  const { backend: _backend, ...training } = aeCore.trainingOptionsFrom(context.options);
  const replica = { module: moduleUrl, exportName, context };
  const cols = inputShape.reduce((a, b) => a * b, 1);
  const fallbacks = [];
  const run = async (rows) => {
    const architecture = def.build(context);
    // asFitPicks: the architecture's FLOP count lets usefulWorkers choose, as a fit does (one thread plus a
    // product helper where replicas do not pay).
    const flops = asFitPicks && architecture.flopsPerRow !== undefined ? { flopsPerRow: architecture.flopsPerRow } : {};
    const store = aeCore.ParamStore.initialise(architecture.params, createRng(1));
    try {
      // retries: 0 so a collapse check on random pixels never restarts the timed epoch.
      return await aeCore.trainModel(aeCore.reconstructionModel(architecture, store), randomRows(rows, cols, 1), { ...training, seed: 1, workers, retries: 0, recovery: { maxCodeGrowth: Infinity, minSteps: Number.MAX_SAFE_INTEGER } }, {
        replica,
        ...flops,
        onProgress: (e) => e.phase === 'workers' && !asFitPicks && fallbacks.push(e.message),
      }).catch((e) => (e.code === 'E_DIVERGED' ? undefined : Promise.reject(e)));
    } finally {
      store.dispose();
    }
  };
  const cpuMs = () => {
    const c = process.cpuUsage();
    return (c.user + c.system) / 1000;
  };
  const warmRows = batch * workers;
  const warmStart = cpuMs();
  const warm = await run(warmRows);
  const warmCpu = cpuMs() - warmStart;
  const started = performance.now();
  const cpuStart = cpuMs();
  const result = await run(batch * batches);
  const cpu = cpuMs() - cpuStart;
  const seconds = (performance.now() - started) / 1000;
  // A run that trained on fewer threads than asked measures something else: no figures, an error instead.
  const threads = asFitPicks ? [] : [warm, result].map((r) => r?.threads).filter((t) => t !== undefined && t !== workers);
  if (fallbacks.length || threads.length) {
    const error = fallbacks[0] ?? `trainModel trained on ${threads[0]} threads instead of ${workers}`;
    log(`ERROR ${name} ×${workers} threads: ${error}`);
    return { name, backend: 'wasm', workers, batchSize: batch, batches, error };
  }
  // Pool start-up (each worker loads tfjs and wasm) is outside trainModel's step timer, so the row gives both.
  // The timed run opens a fresh pool, so its workers' first steps (XNNPACK set-up) are inside the timer: few
  // batches (LATENTKIT_BENCH_QUICK) understate the N-thread figure.
  const samplesPerSecond = result ? result.samplesPerSecond : (batch * batches) / seconds;
  const row = {
    name,
    backend: 'wasm',
    workers,
    batchSize: batch,
    batches,
    samplesPerSecond: Math.round(samplesPerSecond),
    samplesPerSecondWithStartup: Math.round((batch * batches) / seconds),
    secondsPerEpoch: Number((8000 / samplesPerSecond).toFixed(2)),
    // CPU time of all threads per sample, pool start-up cancelled out against the warm-up run (same start-up,
    // fewer rows): on a busy machine the wall-clock rows measure the neighbours; this one shows what the
    // extra threads cost. N threads on N idle cores run at most N × (1-thread cpu ms) / (N-thread cpu ms)
    // times faster than one.
    cpuMsPerSample: Number(((cpu - warmCpu) / (batch * batches - warmRows)).toFixed(3)),
    epochRows: 8000,
    ...(asFitPicks ? { asFitPicks, threads: result?.threads, productHelper: result?.productHelper } : {}),
    ...(BENCH_QUICK ? { quick: true } : {}),
  };
  const how = asFitPicks ? ` (a fit's choice: ${row.threads} thread${row.threads > 1 ? 's' : ''}${row.productHelper ? ' and a product helper' : ''})` : '';
  log(`${name} ×${workers} threads${how}: ${row.samplesPerSecond} samples/s, ${row.cpuMsPerSample} cpu ms per sample`);
  return row;
}
