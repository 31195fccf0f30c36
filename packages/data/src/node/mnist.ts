import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { LatentkitError, type Dataset } from '@latentkit/core';
import { mnistFromDigitJson } from '../mnist.js';
import { stratifiedSplit } from '../split.js';

let cached: Promise<Dataset> | undefined;

/** The 10,000 MNIST digits shipped in the mnist package's JSON files; read once per process. */
export function loadMnist(): Promise<Dataset> {
  cached ??= readDigits().catch((e: unknown) => {
    cached = undefined; // let a later call retry
    throw e;
  });
  return cached;
}

/** MNIST split into train/test (stratified, seeded): default 8,000 / 2,000 with seed 0. */
export async function loadMnistSplit(options: { seed?: number; test?: number } = {}): Promise<{ train: Dataset; test: Dataset }> {
  return stratifiedSplit(await loadMnist(), { test: options.test ?? 2000, seed: options.seed ?? 0 });
}

async function readDigits(): Promise<Dataset> {
  const dir = join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
  const perDigit = await Promise.all(
    Array.from({ length: 10 }, async (_, d) => {
      const path = join(dir, `${d}.json`);
      try {
        return JSON.parse(await readFile(path, 'utf8')) as { data: number[] };
      } catch (e) {
        throw new LatentkitError('E_IO', `cannot read MNIST digits from ${path}: ${(e as Error).message}`, { cause: e });
      }
    }),
  );
  return mnistFromDigitJson(perDigit);
}
