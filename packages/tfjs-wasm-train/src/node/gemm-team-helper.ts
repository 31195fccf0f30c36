/** Int32 slots of the control block the caller and the GEMM helper share. */
export const Slot = {
  /** The caller's request number: bumped (and notified) once the operands are in place. */
  Request: 0,
  /** The last request the helper finished. */
  Done: 1,
  /** 1 once the helper should exit. */
  Stop: 2,
  /** 1 when the last request threw in the helper. */
  Failed: 3,
  /** Thirteen parameters: a, sI, sK, b, bsK, bsN, packed, c, ldc, m, k, n, rows (byte addresses and strides). */
  Params: 4,
} as const;

/** How long the helper polls for the next request before it sleeps. */
export const HELPER_SPIN_MS = 5;

export const SLOTS = Slot.Params + 13;

/**
 * The helper thread, as CommonJS source (a file would have to be found beside the built module, which bundlers
 * and test runners move): it instantiates the GEMM on the shared memory, says it is ready, then sleeps on the
 * request slot and packs and multiplies its columns, as the caller does with its own.
 */
export const HELPER_SOURCE = `
const SPIN_MS = ${HELPER_SPIN_MS};
const { workerData, parentPort } = require('node:worker_threads');
const { memory, control, module } = workerData;
const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
parentPort.postMessage('ready');
let seen = 0;
for (;;) {
  // Spin a while before sleeping: products come every millisecond or two within a training step, and waking
  // a sleeping thread (a halted vCPU) costs more than the spin.
  const until = performance.now() + SPIN_MS;
  while (Atomics.load(control, ${Slot.Request}) === seen && performance.now() < until);
  Atomics.wait(control, ${Slot.Request}, seen);
  const request = Atomics.load(control, ${Slot.Request});
  if (request === seen) continue;
  seen = request;
  if (Atomics.load(control, ${Slot.Stop}) === 1) break;
  let failed = 0;
  try {
    const [a, sI, sK, b, bsK, bsN, packed, c, ldc, m, kk, n, rows] = control.subarray(${Slot.Params}, ${Slot.Params + 13});
    k.pack(b, bsK, bsN, kk, n, packed);
    for (let i = 0; i < m; i += rows) k.gemm(a + i * sI, sI, sK, packed, c + 4 * i * ldc, ldc, Math.min(rows, m - i), kk, n, 0);
  } catch {
    failed = 1;
  }
  Atomics.store(control, ${Slot.Failed}, failed);
  Atomics.store(control, ${Slot.Done}, request);
  Atomics.notify(control, ${Slot.Done});
}
`;
