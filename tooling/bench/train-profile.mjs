// Where one training step's time goes: forward, forward+backward, optimizer phases and a per-kernel
// breakdown (tf.profile), for any autoencoder definition. Shared by the dense-ae and conv-ae benches;
// they pass their own tfjs, ae-core and createRng so that this file resolves nothing itself.

/** Median of `reps` timings (ms) of fn after `warm` untimed runs; fn returns what to read back and dispose. */
function medianMs(tf, fn, reps, warm = 2) {
  const run = () => {
    const out = fn();
    const list = (Array.isArray(out) ? out : [out]).filter(Boolean);
    for (const t of list) t.dataSync();
    tf.dispose(list);
  };
  for (let i = 0; i < warm; i++) run();
  const times = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/**
 * Rows: phase medians in ms per step (batch `batch`) and the kernels that took most of one full step.
 * `optimizer` is 'tfjs' (tf.train.adam) or 'fused' (ae-core's FusedAdam, when the build has it).
 */
export async function profileTrainStep({ tf, aeCore, createRng, def, inputShape, latentDim, options, batch = 128, reps = 7, optimizer = 'tfjs', name }) {
  await aeCore.setupBackend('wasm');
  const D = inputShape.reduce((a, b) => a * b, 1);
  const architecture = def.build({ kind: def.kind, inputShape, latentDim, options: def.options.parse(options) });
  const store = aeCore.ParamStore.initialise(architecture.params, createRng(1));
  const model = aeCore.reconstructionModel(architecture, store);
  const trainable = store.trainable;
  const x = tf.randomUniform([batch, D], 0, 1, 'float32', 7);
  const ctx = { training: true, setState: () => {} };
  // FusedAdam takes the variables and their gradients in order; tfjs's Adam a name → gradient map.
  const FusedAdam = aeCore.FusedAdam ?? (await import(new URL('../../packages/ae-core/dist/fused-adam.js', import.meta.url).href)).FusedAdam;
  const adam = optimizer === 'fused' ? new FusedAdam(1e-4) : tf.train.adam(1e-4);
  const opt = {
    applyGradients: (g) => (optimizer === 'fused' ? adam.applyGradients(trainable, trainable.map((v) => g[v.name])) : adam.applyGradients(g)),
    dispose: () => adam.dispose?.(),
  };
  const grads = () => tf.variableGrads(() => model.loss(x, ctx), trainable);
  const fwd = medianMs(tf, () => tf.tidy(() => model.loss(x, ctx)), reps);
  const fwdBwd = medianMs(tf, () => tf.tidy(() => { const { value, grads: g } = grads(); return [value, ...Object.values(g)]; }), reps);
  const g = grads();
  tf.dispose(g.value);
  const opt1 = medianMs(tf, () => { opt.applyGradients(g.grads); return undefined; }, reps);
  // A read-back forces the queued wasm work to finish (it is synchronous, so this is nearly free).
  trainable[0].dataSync();
  const step = medianMs(tf, () => tf.tidy(() => { const { value, grads: gg } = grads(); opt.applyGradients(gg); return value; }), reps);
  const profile = await tf.profile(() => tf.tidy(() => { const { value, grads: gg } = grads(); opt.applyGradients(gg); value.dataSync(); }));
  const byKernel = new Map();
  for (const k of profile.kernels) {
    const e = byKernel.get(k.name) ?? { kernel: k.name, ms: 0, calls: 0 };
    e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    e.calls++;
    byKernel.set(k.name, e);
  }
  const kernels = [...byKernel.values()].sort((a, b) => b.ms - a.ms).slice(0, 10).map((k) => ({ ...k, ms: Number(k.ms.toFixed(2)) }));
  tf.dispose([x, ...Object.values(g.grads)]);
  opt.dispose();
  store.dispose();
  const r = (v) => Number(v.toFixed(2));
  return {
    name: `${name} step profile (${optimizer} Adam)`,
    backend: 'wasm',
    batchSize: batch,
    msForward: r(fwd),
    msBackward: r(fwdBwd - fwd),
    msOptimizer: r(opt1),
    msStep: r(step),
    samplesPerSecond: Math.round((batch * 1000) / step),
    kernelCalls: profile.kernels.length,
    newTensorsPerStep: profile.newTensors,
    topKernels: kernels,
  };
}
