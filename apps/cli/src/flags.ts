import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { LatentkitError } from '@latentkit/core';

/**
 * Checks of command-line values that need no data: every command runs them before it reads data or fits
 * anything, so a typo costs a second, not a fit. Each failure is one E_OPTION line naming the flag.
 */

const MAX_SEED = 2 ** 32 - 1;

/** --seed: an integer from 0 to 2³² − 1 (the generator's seed range). */
export function parseSeed(raw: string, flag = '--seed'): number {
  return parseIntFlag(flag, raw, 0, MAX_SEED);
}

/** An optional --seed: undefined when not given. */
export function parseOptionalSeed(raw: string | undefined, flag = '--seed'): number | undefined {
  return raw === undefined ? undefined : parseSeed(raw, flag);
}

/** An integer flag in [min, max] (no upper bound when max is omitted); "1e3", "7.5", "" and "0x10" are refused. */
export function parseIntFlag(flag: string, raw: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const text = String(raw).trim();
  const v = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(v) || v < min || v > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
    throw new LatentkitError('E_OPTION', `${flag} expects an integer ${range}, got ${JSON.stringify(raw)}`);
  }
  return v;
}

const DATA_SPEC = /^(mnist|fashion-mnist|(idx|npy|csv):.+)$/i;

/** --data: one of the source forms the loader understands (the file itself is read later, by the loader). */
export function checkDataSpec(spec: string, flag = '--data'): string {
  if (!DATA_SPEC.test(spec.trim())) {
    throw new LatentkitError('E_UNKNOWN_DATA', `${flag}: unknown data source "${spec}" (expected mnist, fashion-mnist, idx:PATH, npy:PATH or csv:PATH)`);
  }
  return spec;
}

/** A class label flag (e.g. demo's --held-out): one of the data's label names, given by name. */
export function parseLabel(flag: string, raw: string, labelNames: readonly string[], dataName: string): number {
  const i = labelNames.indexOf(String(raw).trim());
  if (i < 0) throw new LatentkitError('E_OPTION', `${flag} expects one of ${dataName}'s classes ${labelNames.join(', ')}, got ${JSON.stringify(raw)}`);
  return i;
}

/** An output file flag (--png, --svg, --out FILE): its folder must exist and the path must not be a folder. */
export async function checkOutputFile(flag: string, path: string, cwd: string): Promise<string> {
  const target = resolve(cwd, path);
  const parent = await stat(dirname(target)).catch(() => undefined);
  if (!parent?.isDirectory()) throw new LatentkitError('E_IO', `${flag} ${path}: the folder ${dirname(target)} does not exist`);
  if ((await stat(target).catch(() => undefined))?.isDirectory()) throw new LatentkitError('E_IO', `${flag} ${path} is a folder, not a file`);
  return target;
}
