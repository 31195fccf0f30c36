import { createRequire } from 'node:module';
import { backendInfo } from '@latentkit/ae-core';
import { CLI_VERSION } from './version.js';

const require = createRequire(import.meta.url);

/** A dependency's version, resolved from the package that depends on it (pnpm keeps them private). */
function versionOf(pkg: string, from = '@latentkit/ae-core'): string {
  try {
    const req = createRequire(require.resolve(from));
    return (req(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Facts about how a run was made, for the report's "how it ran" table and run.json. */
export function runInfo(extra: { seed: number; quick: boolean; timings: Record<string, number>; totalSeconds: number; command: string }): Record<string, unknown> {
  const backend = backendInfo();
  return {
    command: extra.command,
    seed: extra.seed,
    quick: extra.quick,
    versions: { latentkit: CLI_VERSION, node: process.version, tfjs: versionOf('@tensorflow/tfjs') },
    tfjsBackend: `${backend.backend}${backend.trainingKernels.length ? ` + training kernels (${backend.trainingKernels.join(', ')})` : ''}`,
    machine: `${process.platform}-${process.arch}`,
    seconds: { ...extra.timings, total: extra.totalSeconds },
  };
}
