import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../index.js';
import { backendMemory } from '../gemm/gemm-module.js';
import { withSharedWasmHeap } from '../shared-heap.js';
import { useBackend } from '../__fixtures__/backends.js';
import { multiply, sameBits, SHARED_PRODUCTS } from '../__fixtures__/team-products.js';
import { startGemmTeam, type GemmTeamHandle } from './gemm-team.js';

// This file's wasm backend starts on a shared heap, as the CLI's does (useTrainingWorkers before set-up).
beforeAll(async () => {
  const ok = await withSharedWasmHeap(() => tf.setBackend('wasm'));
  if (!ok) throw new Error('the wasm backend did not start');
  registerWasmTrainingKernels();
});

let team: GemmTeamHandle | undefined;
afterAll(async () => {
  await team?.stop();
});

describe('tfjs-backend-wasm on a shared heap', () => {
  it('runs on a SharedArrayBuffer, grows, and computes what cpu computes', async () => {
    const heap = backendMemory(tf.backend())!;
    expect(heap.buffer instanceof SharedArrayBuffer).toBe(true);
    const before = heap.buffer.byteLength;
    const big = tf.fill([4096, 4096], 0.5); // 64 MiB: past the initial 16 MiB heap
    expect(backendMemory(tf.backend())!.buffer.byteLength).toBeGreaterThan(before);
    expect(big.sum().dataSync()[0]).toBe(0.5 * 4096 * 4096);
    big.dispose();
    const build = () => tf.conv2d(tf.sigmoid(tf.range(0, 2 * 9 * 9 * 3).reshape([2, 9, 9, 3]).div(100)) as tf.Tensor4D, tf.ones([3, 3, 3, 4]) as tf.Tensor4D, 2, 'same').sum();
    const onShared = build().dataSync()[0]!;
    await useBackend('cpu');
    const onCpu = build().dataSync()[0]!;
    await useBackend('wasm');
    expect(Math.abs(onShared - onCpu) / Math.abs(onCpu)).toBeLessThan(1e-5);
  });
});

describe('GEMM team in place', () => {
  it('multiplies on the backend heap itself, bitwise as one thread', async () => {
    const alone = SHARED_PRODUCTS.map((c) => multiply(c));
    team = (await startGemmTeam({ backend: tf.backend(), maxBytes: 65536, calibrate: false }))!;
    expect(team.inPlace).toBe(true);
    // The team's own memory is one page: only in place can it take these products.
    const together = SHARED_PRODUCTS.map((c) => multiply(c));
    expect(team.products).toBe(SHARED_PRODUCTS.length);
    expect(team.failure).toBeUndefined();
    together.forEach((values, i) => expect(sameBits(values, alone[i]!)).toBe(true));
  });
});
