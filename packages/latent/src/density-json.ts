import { LatentkitError } from '@latentkit/core';
import { DENSITY_FORMAT, DENSITY_FORMAT_VERSION } from './density.js';
import type { CovarianceType } from './moments.js';

/** Validation helpers for density JSON: every failure is one E_INPUT_FORMAT line naming the field. */

export function bad(kind: string, why: string): LatentkitError {
  return new LatentkitError('E_INPUT_FORMAT', `${kind} density JSON: ${why}`);
}

export function readObject(json: unknown, kind: string): Record<string, unknown> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw bad(kind, 'expected an object');
  const o = json as Record<string, unknown>;
  if (o.format !== DENSITY_FORMAT) throw bad(kind, `format is ${JSON.stringify(o.format)}, expected "${DENSITY_FORMAT}"`);
  if (o.version !== DENSITY_FORMAT_VERSION) {
    throw new LatentkitError('E_BUNDLE_VERSION', `${kind} density JSON has version ${String(o.version)}; this build reads version ${DENSITY_FORMAT_VERSION}`);
  }
  if (o.kind !== kind) throw bad(kind, `kind is ${JSON.stringify(o.kind)}, expected "${kind}"`);
  return o;
}

export function readInt(o: Record<string, unknown>, key: string, kind: string, min: number): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw bad(kind, `${key} must be an integer ≥ ${min}`);
  return v;
}

export function readNumber(o: Record<string, unknown>, key: string, kind: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(kind, `${key} must be a finite number`);
  return v;
}

export function readVector(v: unknown, length: number, name: string, kind: string): Float64Array {
  if (!Array.isArray(v) || v.length !== length || v.some((x) => typeof x !== 'number' || !Number.isFinite(x))) {
    throw bad(kind, `${name} must be ${length} finite numbers`);
  }
  return Float64Array.from(v as number[]);
}

export function readCovarianceType(o: Record<string, unknown>, kind: string): CovarianceType {
  const v = o.covarianceType;
  if (v !== 'full' && v !== 'diagonal') throw bad(kind, `covarianceType must be "full" or "diagonal"`);
  return v;
}
