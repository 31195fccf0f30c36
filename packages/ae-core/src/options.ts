import { LatentkitError } from '@latentkit/core';
import { z } from 'zod';
import { BACKEND_NAMES } from './backend.js';
import { corruptOption } from './corruption-spec.js';
import { ACTIVATIONS, type ActivationName } from './layers.js';
import { LR_SCHEDULES } from './schedule.js';

/**
 * The training options every autoencoder takes, declared once. A kind composes its own options with
 * these by `.extend()` (see `trainingOptionsWithDefaults` for other defaults); types, bounds, defaults and
 * --help all come from the result.
 */
export const trainingOptions = z.strictObject({
  epochs: z.number().int().min(1).default(20).describe('passes over the training rows'),
  batchSize: z.number().int().min(1).default(128).describe('rows per gradient step'),
  learningRate: z.number().positive().default(1e-3).describe('Adam learning rate (peak, before the schedule)'),
  lrSchedule: z
    .enum(LR_SCHEDULES)
    .default('constant')
    .describe('learning-rate schedule over the run: constant, cosine (decays towards 0) or step (halves after each quarter)'),
  validationSplit: z.number().min(0).max(0.9).default(0).describe('fraction of rows held out for validation loss and early stopping'),
  patience: z.number().int().min(0).default(0).describe('stop after this many epochs without improvement (0 = never), then restore the best weights'),
  backend: z.enum(BACKEND_NAMES).default('wasm').describe('tfjs backend: wasm (fast) or cpu (pure JS)'),
  retries: z.number().int().min(0).default(2).describe('re-initialisations (new seed, learning rate ×0.3) when training collapses or diverges; 0 = stop at once'),
  // Part of the objective rather than the loop, but every autoencoder trains by reconstruction, so it lives here.
  corrupt: corruptOption,
});

/** Training settings with defaults filled. */
export type TrainingOptions = z.output<typeof trainingOptions>;
/** Training settings as a caller passes them: every field optional. */
export type TrainingOptionsInput = z.input<typeof trainingOptions>;

type TrainingField = keyof TrainingOptions;

/**
 * The training options with other defaults (e.g. conv-ae trains longer): the bounds and descriptions stay
 * those of `trainingOptions`, only the default values change.
 */
export function trainingOptionsWithDefaults(defaults: Partial<TrainingOptions>): typeof trainingOptions {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, value] of Object.entries(defaults)) {
    const field = trainingOptions.shape[name as TrainingField];
    if (!field) throw new LatentkitError('E_OPTION', `"${name}" is not a training option (options: ${Object.keys(trainingOptions.shape).join(', ')})`);
    // describe() after default(): the description lives on the outer schema, where JSON Schema reads it.
    shape[name] = (field.unwrap() as z.ZodType).default(value as never).describe(field.description ?? '');
  }
  return trainingOptions.extend(shape) as unknown as typeof trainingOptions;
}

/** Picks the training settings out of an autoencoder's options. */
export function trainingOptionsFrom(options: TrainingOptions): TrainingOptions {
  const { epochs, batchSize, learningRate, lrSchedule, validationSplit, patience, backend, retries, corrupt } = options;
  return { epochs, batchSize, learningRate, lrSchedule, validationSplit, patience, backend, retries, corrupt };
}

/** The nonlinearities a hidden layer may use (the sigmoid is kept for outputs). */
export const HIDDEN_ACTIVATIONS = ACTIVATIONS.filter((a): a is Exclude<ActivationName, 'sigmoid'> => a !== 'sigmoid');

/** Checks latentDim: autoencoders need a positive integer (no "variance to keep" fractions). */
export function assertLatentDim(kind: string, latentDim: unknown): number {
  if (typeof latentDim !== 'number' || !Number.isInteger(latentDim) || latentDim < 1) {
    throw new LatentkitError('E_OPTION', `reducer "${kind}": latentDim must be a positive integer, got ${String(latentDim)}`);
  }
  return latentDim;
}
