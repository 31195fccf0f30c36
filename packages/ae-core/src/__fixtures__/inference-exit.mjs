// A Node process that fits a small autoencoder on 2 threads, encodes on them, then stops using its models:
// the parallel-inference test runs it as a child and checks it exits as soon as its work is done, i.e. no
// worker thread of an inference pool keeps it alive (one model disposed, one left as it is).
import { createRng } from '@latentkit/core';
import { fitAutoencoder, loadAutoencoder, trainingOptions } from '../../dist/index.js';
import { useTrainingWorkers } from '../../dist/node.js';
import { smallDefinition } from './replica-definitions.mjs';

useTrainingWorkers();
const definition = { ...smallDefinition, options: trainingOptions, replica: { module: new URL('./replica-definitions.mjs', import.meta.url).href, exportName: 'smallDefinition' } };
const rng = createRng(1);
const rows = 1100;
const x = { rows, cols: 8, data: Float32Array.from({ length: rows * 8 }, () => rng.normal()) };
const { model } = await fitAutoencoder(definition, { name: 'noise', x }, { latentDim: 2, epochs: 1, batchSize: 256, validationSplit: 0 }, { workers: 2, seed: 1 });
const codes = await model.encode(x);
const loaded = await loadAutoencoder(definition, await model.save(), { inferenceThreads: 2 });
await loaded.decode(codes);
model.dispose();
console.log(JSON.stringify({ fitted: model.inferenceReport, loaded: loaded.inferenceReport, finishedAt: Date.now() }));
