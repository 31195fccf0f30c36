import type { Capability, ReducerPlugin } from '@latentkit/core';
import type { ConformanceContext } from '../context.js';

/** One check as the suite declares it: chosen for a plugin by capability (and `appliesTo`), run on a context. */
export interface CheckDefinition {
  /** Stable identifier, e.g. "encode-batching". */
  readonly id: string;
  /** What a runner shows, e.g. "encode: one row at a time equals the whole batch". */
  readonly name: string;
  /** The capability the check exercises; the check is chosen only for plugins declaring it. */
  readonly capability?: Capability;
  /** A further condition on the plugin (e.g. it declares its package). */
  appliesTo?(plugin: ReducerPlugin): boolean;
  run(ctx: ConformanceContext): Promise<void>;
}

/** The reducer methods behind capabilities (fit-transform has none: its codes come back from fit). */
export const CAPABILITY_METHODS = {
  encode: 'encode',
  decode: 'decode',
  'encode-distribution': 'encodeDistribution',
  sample: 'sample',
  'likelihood-bound': 'logLikelihoodBound',
  'partial-fit': 'partialFit',
} as const satisfies Partial<Record<Capability, string>>;

export type MethodCapability = keyof typeof CAPABILITY_METHODS;
