import { LatentkitError, type OptionSpecs, type OptionValue } from '@latentkit/core';
import { BACKEND_NAMES, type BackendName } from './backend.js';
import { LR_SCHEDULES, type LrSchedule } from './schedule.js';

/** Training settings shared by every autoencoder. */
export interface TrainingOptions {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly lrSchedule: LrSchedule;
  /** Fraction of rows held out to measure validation loss (0 = none). */
  readonly validationSplit: number;
  /** Epochs without improvement before stopping early (0 = never stop early). */
  readonly patience: number;
  readonly backend: BackendName;
}

/** Defaults a plugin may override (e.g. conv-ae trains longer than dense-ae). */
export type TrainingDefaults = Partial<TrainingOptions>;

/** Option specs for the shared training settings, with per-plugin defaults. */
export function trainingOptionSpecs(defaults: TrainingDefaults = {}): OptionSpecs {
  return {
    epochs: { type: 'number', integer: true, min: 1, default: defaults.epochs ?? 20, description: 'passes over the training rows' },
    batchSize: { type: 'number', integer: true, min: 1, default: defaults.batchSize ?? 128, description: 'rows per gradient step' },
    learningRate: { type: 'number', min: 0, default: defaults.learningRate ?? 1e-3, description: 'Adam learning rate (peak, before the schedule)' },
    lrSchedule: {
      type: 'string',
      choices: LR_SCHEDULES,
      default: defaults.lrSchedule ?? 'constant',
      description: 'learning-rate schedule over the run: constant, cosine (decays towards 0) or step (halves after each quarter)',
    },
    validationSplit: {
      type: 'number',
      min: 0,
      max: 0.9,
      default: defaults.validationSplit ?? 0,
      description: 'fraction of rows held out for validation loss and early stopping',
    },
    patience: {
      type: 'number',
      integer: true,
      min: 0,
      default: defaults.patience ?? 0,
      description: 'stop after this many epochs without improvement (0 = never), then restore the best weights',
    },
    backend: { type: 'string', choices: BACKEND_NAMES, default: defaults.backend ?? 'wasm', description: 'tfjs backend: wasm (fast) or cpu (pure JS)' },
  };
}

/** Picks the training settings out of resolved options. */
export function trainingOptionsFrom(options: Readonly<Record<string, OptionValue>>): TrainingOptions {
  return {
    epochs: options.epochs as number,
    batchSize: options.batchSize as number,
    learningRate: options.learningRate as number,
    lrSchedule: options.lrSchedule as LrSchedule,
    validationSplit: options.validationSplit as number,
    patience: options.patience as number,
    backend: options.backend as BackendName,
  };
}

/** Checks latentDim: autoencoders need a positive integer (no "variance to keep" fractions). */
export function assertLatentDim(kind: string, latentDim: unknown): number {
  if (typeof latentDim !== 'number' || !Number.isInteger(latentDim) || latentDim < 1) {
    throw new LatentkitError('E_OPTION', `reducer "${kind}" needs latentDim to be a positive integer, got ${String(latentDim)}`);
  }
  return latentDim;
}
