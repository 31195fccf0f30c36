import { createRequire } from 'node:module';
import { CLI_VERSION } from './version.js';

const require = createRequire(import.meta.url);

function versionOf(pkg: string): string {
  try {
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Facts about how a run was made, for the report's "how it ran" table and run.json. */
export function runInfo(extra: { seed: number; quick: boolean; timings: Record<string, number>; totalSeconds: number; command: string }): Record<string, unknown> {
  return {
    command: extra.command,
    seed: extra.seed,
    quick: extra.quick,
    versions: {
      latentkit: CLI_VERSION,
      node: process.version,
      tfjs: versionOf('@tensorflow/tfjs-core'),
    },
    machine: `${process.platform}-${process.arch}`,
    seconds: { ...extra.timings, total: extra.totalSeconds },
  };
}
