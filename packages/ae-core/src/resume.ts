import { crc32, LatentkitError, type Matrix, type ModelBundle } from '@latentkit/core';
import { checkpointInfoOf, type CheckpointIdentity } from './checkpoint.js';
import { assertReadableSpecVersion } from './spec-versions.js';

/** A CRC-32 of a matrix's values: cheap next to training, and catches resuming on other data. */
export function dataFingerprint(x: Matrix): number {
  return continueFingerprint(0, x);
}

/**
 * The fingerprint of the rows fingerprinted so far (`previous`, 0 for none) followed by x's rows: a source read
 * in batches, in row order, ends with dataFingerprint of all its rows in one matrix, however it cut them.
 */
export function continueFingerprint(previous: number, x: Matrix): number {
  const values = x.data.subarray(0, x.rows * x.cols);
  return crc32(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), previous);
}

/**
 * Refuses a checkpoint that the fit described by `id` cannot continue: another kind or an unknown spec version
 * (E_BUNDLE_CORRUPT / E_BUNDLE_VERSION), other options, latent size or seed (E_OPTION), other input shape
 * or data (E_SHAPE / E_OPTION). Messages say what differs so the user can fix the command.
 */
export function assertResumable(bundle: ModelBundle, id: CheckpointIdentity): void {
  const m = bundle.manifest;
  const refuse = (code: 'E_BUNDLE_CORRUPT' | 'E_OPTION' | 'E_SHAPE', why: string) => new LatentkitError(code, `cannot resume ${id.kind} from this checkpoint: ${why}`);
  if (m.kind !== id.kind) throw refuse('E_BUNDLE_CORRUPT', `it holds a "${m.kind}" model`);
  assertReadableSpecVersion(id.kind, m.specVersion, 'checkpoint');
  const info = checkpointInfoOf(bundle);
  if (!info) throw refuse('E_BUNDLE_CORRUPT', 'it is a saved model, not a checkpoint (no training state)');
  if (m.latentDim !== id.latentDim) throw refuse('E_OPTION', `it has latent dimension ${m.latentDim}, this fit asks for ${id.latentDim}`);
  const changed = optionDifferences(m.options, id.options);
  if (changed.length > 0) throw refuse('E_OPTION', `options differ (${changed.join('; ')}); resume with the options of the interrupted fit`);
  if (m.seed !== id.seed) throw refuse('E_OPTION', `it was fitted with seed ${String(m.seed)}, this fit uses seed ${id.seed}`);
  if (!sameShape(m.inputShape, id.inputShape)) throw refuse('E_SHAPE', `it was fitted on inputs of shape [${m.inputShape.join(',')}], this data has [${id.inputShape.join(',')}]`);
  if (info.dataRows !== id.dataRows) throw refuse('E_SHAPE', `it was fitted on ${info.dataRows} rows, this data has ${id.dataRows}`);
  if (info.dataFingerprint !== id.dataFingerprint) throw refuse('E_OPTION', 'it was fitted on different data (same size, other values)');
}

/**
 * assertResumable for everything but the data (row count, fingerprint): a fit that learns those only by reading
 * its source refuses a checkpoint of another kind, options, shape or seed before it reads a row.
 */
export function assertResumableSettings(bundle: ModelBundle, id: Omit<CheckpointIdentity, 'dataRows' | 'dataFingerprint'>): void {
  const info = checkpointInfoOf(bundle);
  // Without checkpoint info assertResumable refuses before it reaches the data fields.
  assertResumable(bundle, { ...id, dataRows: info?.dataRows ?? 0, dataFingerprint: info?.dataFingerprint ?? 0 });
}

/**
 * Options a resumed fit may change: the schedule, not the model. A fit that diverged is resumed with a
 * lower learning rate, and a finished one can be given more epochs; the result is then no longer
 * bit-identical to an uninterrupted run, which is the point. `retries` only bounds the recovery from a
 * collapse (and checkpoints written before it existed do not record it).
 */
export const RESUME_MAY_CHANGE: ReadonlySet<string> = new Set(['learningRate', 'epochs', 'patience', 'retries']);

/** Options added after checkpoints were first written, with the value an older checkpoint was trained with. */
const ADDED_OPTIONS: Readonly<Record<string, unknown>> = { corrupt: 'none' };

function optionDifferences(recorded: Readonly<Record<string, unknown>>, current: Readonly<Record<string, unknown>>): string[] {
  const saved: Record<string, unknown> = { ...recorded };
  for (const [k, v] of Object.entries(ADDED_OPTIONS)) if (!(k in saved) && k in current) saved[k] = v;
  const keys = [...new Set([...Object.keys(saved), ...Object.keys(current)])].filter((k) => !RESUME_MAY_CHANGE.has(k)).sort();
  const show = (v: unknown) => (v === undefined ? '(unset)' : JSON.stringify(v));
  return keys.filter((k) => JSON.stringify(saved[k]) !== JSON.stringify(current[k])).map((k) => `${k}: checkpoint ${show(saved[k])}, now ${show(current[k])}`);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
