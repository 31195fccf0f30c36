import { LatentkitError } from './errors.js';

/**
 * The memory budget latentkit's packages plan large allocations against, so work that cannot fit fails in
 * one line before it allocates instead of growing until the process dies. Browser-safe: Node's facilities
 * are reached only through the `process` global, when there is one.
 */

/** The environment variable that sets the budget, in bytes. */
export const MAX_DATA_BYTES_ENV = 'LATENTKIT_MAX_DATA_BYTES';

/** Where no machine size can be read (a browser): about what a wasm32 heap can hold in practice. */
const FALLBACK_BUDGET_BYTES = 2 * 2 ** 30;

export interface MemoryBudget {
  /** The most bytes a job may plan to hold. */
  readonly bytes: number;
  /** How the limit was set, for messages: the environment variable, or how the default was derived. */
  readonly source: string;
}

interface NodeLikeProcess {
  readonly env?: Record<string, string | undefined>;
}

/** The machine's memory as a Node entry point reported it (core itself never reaches for node: modules). */
let reportedMachineBytes: number | undefined;

/**
 * Reports the machine's (or container's) memory, so budgets default to half of it. Node entry points call this
 * (`@latentkit/data/node`, `@latentkit/pca/node`); without it the budget is the 2 GiB browser default.
 */
export function setMachineMemory(bytes: number | undefined): void {
  reportedMachineBytes = bytes !== undefined && bytes > 0 ? bytes : undefined;
}

/**
 * LATENTKIT_MAX_DATA_BYTES when set (a positive whole number; anything else is one E_OPTION line), else half
 * of the machine's (or the container's) memory where the runtime can tell, else 2 GiB.
 */
export function memoryBudget(
  env: Readonly<Record<string, string | undefined>> | undefined = nodeProcess()?.env,
  machineBytes: number | undefined = reportedMachineBytes,
): MemoryBudget {
  const raw = env?.[MAX_DATA_BYTES_ENV];
  if (raw !== undefined && raw !== '') {
    const n = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n <= 0) {
      throw new LatentkitError('E_OPTION', `${MAX_DATA_BYTES_ENV} must be a positive whole number of bytes, got ${JSON.stringify(raw)}`);
    }
    return { bytes: n, source: MAX_DATA_BYTES_ENV };
  }
  const total = machineBytes;
  if (total !== undefined && total > 0) return { bytes: Math.floor(total / 2), source: "half of this machine's memory" };
  return { bytes: FALLBACK_BUDGET_BYTES, source: 'the default for runtimes that do not report their memory' };
}

/** "219,520,000 bytes (209 MiB)": the need, readable both ways. */
export function formatBytes(n: number): string {
  const mib = n / 2 ** 20;
  const unit = mib >= 1024 ? `${(mib / 1024).toFixed(1)} GiB` : `${mib.toFixed(mib < 10 ? 1 : 0)} MiB`;
  return `${n.toLocaleString('en-US')} bytes (${unit})`;
}

function nodeProcess(): NodeLikeProcess | undefined {
  return (globalThis as { process?: NodeLikeProcess }).process;
}
