import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LatentkitError } from '@latentkit/core';

/** Saved run facts a later command reuses (data source and seed) when the user does not repeat them. */
export interface RunFacts {
  readonly data?: string;
  readonly seed?: number;
  /** Test reconstruction MSE, for models that reconstruct. */
  readonly testMse?: number;
  /** Loss per epoch, for reducers that train in epochs. */
  readonly history?: readonly { readonly epoch: number; readonly loss: number; readonly valLoss?: number }[];
  readonly reducer?: string;
  readonly latentDim?: number;
}

export const METRICS_FILE = 'metrics.json';

/** Refuses a model or run folder that is missing or not a folder, naming it. */
export async function assertFolder(dir: string, what = 'model folder'): Promise<void> {
  const s = await stat(dir).catch(() => undefined);
  if (!s) throw new LatentkitError('E_IO', `${what} ${dir} does not exist`);
  if (!s.isDirectory()) throw new LatentkitError('E_IO', `${dir} is not a ${what}`);
}

/**
 * The facts in DIR/metrics.json; {} when the folder has none (a bundle saved by other means). A file that is
 * there but damaged is one line naming it: guessing the data source instead (mnist) would evaluate the model
 * on the wrong data without a word.
 */
export async function readRunFacts(dir: string): Promise<RunFacts> {
  const path = join(dir, METRICS_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return {};
    throw new LatentkitError('E_IO', `cannot read ${path} (${code ?? (e as Error).message})`);
  }
  const bad = (why: string) => new LatentkitError('E_INPUT_FORMAT', `${path} ${why}; refit the model, or give --data and --seed`);
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch (e) {
    throw bad(`is not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
  if (typeof m !== 'object' || m === null || Array.isArray(m)) throw bad(`must hold a JSON object, got ${m === null ? 'null' : Array.isArray(m) ? 'a list' : typeof m}`);
  const r = m as Record<string, unknown>;
  if (r.data !== undefined && (typeof r.data !== 'string' || r.data.trim() === '')) throw bad(`has "data" ${JSON.stringify(r.data)}, not a data source such as "mnist"`);
  if (r.seed !== undefined && (typeof r.seed !== 'number' || !Number.isInteger(r.seed) || r.seed < 0)) throw bad(`has "seed" ${JSON.stringify(r.seed)}, not an integer ≥ 0`);
  const test = r.test as { mse?: unknown } | undefined;
  const history = Array.isArray(r.history) && r.history.every((p) => typeof p?.epoch === 'number' && typeof p?.loss === 'number') ? (r.history as RunFacts['history']) : undefined;
  return {
    ...(typeof r.data === 'string' ? { data: r.data } : {}),
    ...(typeof r.seed === 'number' ? { seed: r.seed } : {}),
    ...(typeof test?.mse === 'number' ? { testMse: test.mse } : {}),
    ...(history ? { history } : {}),
    ...(typeof r.reducer === 'string' ? { reducer: r.reducer } : {}),
    ...(typeof r.latentDim === 'number' ? { latentDim: r.latentDim } : {}),
  };
}
