// Training throughput of an autoencoder definition on 1 or N threads (ae-core's trainModel with worker
// replicas), for the dense-ae and conv-ae benches. They pass their own modules so this file resolves nothing.
import os from 'node:os';

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
 * One epoch of `batches` batches through trainModel on `workers` threads (after a one-batch warm-up that
 * grows the wasm heaps and starts XNNPACK); returns a bench row with samples/s.
 */
export async function measureTraining({ aeCore, createRng, def, moduleUrl, exportName, inputShape, latentDim, options = {}, batch = 128, batches, workers, name, log = () => {} }) {
  await aeCore.setupBackend('wasm');
  const context = { kind: def.kind, inputShape, latentDim, options: def.options.parse({ ...options, epochs: 1, batchSize: batch, validationSplit: 0 }) };
  const { backend: _backend, ...training } = aeCore.trainingOptionsFrom(context.options);
  const replica = { module: moduleUrl, exportName, context };
  const cols = inputShape.reduce((a, b) => a * b, 1);
  const fallbacks = [];
  const run = async (rows) => {
    const architecture = def.build(context);
    const store = aeCore.ParamStore.initialise(architecture.params, createRng(1));
    try {
      // retries: 0 so a collapse check on random pixels never restarts the timed epoch.
      return await aeCore.trainModel(aeCore.reconstructionModel(architecture, store), randomRows(rows, cols, 1), { ...training, seed: 1, workers, retries: 0, recovery: { maxCodeGrowth: Infinity, minSteps: Number.MAX_SAFE_INTEGER } }, {
        replica,
        onProgress: (e) => e.phase === 'workers' && fallbacks.push(e.message),
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
  await run(warmRows);
  const warmCpu = cpuMs() - warmStart;
  const started = performance.now();
  const cpuStart = cpuMs();
  const result = await run(batch * batches);
  const cpu = cpuMs() - cpuStart;
  const seconds = (performance.now() - started) / 1000;
  // Pool start-up (each worker loads tfjs and wasm) is outside trainModel's step timer, so the row gives both.
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
    ...(fallbacks.length ? { fellBackToOneThread: fallbacks[0] } : {}),
  };
  log(`${name} ×${workers} threads: ${row.samplesPerSecond} samples/s, ${row.cpuMsPerSample} cpu ms per sample${fallbacks.length ? ` (${fallbacks[0]})` : ''}`);
  return row;
}
