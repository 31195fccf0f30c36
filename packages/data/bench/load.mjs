// Load-time benchmark (run after `pnpm --filter @latentkit/data build`): node bench/load.mjs [runs]
import { loadFashionMnist, loadMnist } from '../dist/node.js';

const runs = Number(process.argv[2] ?? 3);
for (let r = 0; r < runs; r++) {
  let t = performance.now();
  const cpu = process.cpuUsage();
  const { train, test } = await loadFashionMnist();
  const fashionMs = performance.now() - t;
  // CPU time (all threads) is a steadier figure than wall time on a shared machine.
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  t = performance.now();
  const mnist = r === 0 ? await loadMnist() : undefined;
  const mnistMs = performance.now() - t;
  console.log(
    `run ${r + 1}: fashion-mnist ${train.x.rows}+${test.x.rows} rows in ${fashionMs.toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU` +
      (mnist ? `; mnist ${mnist.x.rows} rows in ${mnistMs.toFixed(0)} ms` : ''),
  );
}
