import { LatentkitError } from './errors.js';

/**
 * What a fitted reducer can do, declared by its plugin (like scikit-learn's estimator tags). Apps and the
 * conformance suite decide by these, never by a reducer's kind.
 * - encode: out-of-sample x → z for any rows (PCA, autoencoders, UMAP's transform)
 * - decode: z → x̂ (PCA, autoencoders; not UMAP or t-SNE)
 * - fit-transform: codes only for the rows it was fitted on (t-SNE); the fit returns them as `embedding`
 * - encode-distribution: x → q(z|x) as a diagonal Gaussian (a VAE)
 * - sample: draws x from the model's own prior
 * - likelihood-bound: a lower bound on log p(x) per row (a VAE's ELBO), usable as an anomaly score
 * - partial-fit: the fitted model can continue learning from more rows
 * - fit-stream: the plugin fits from a RowBatchSource (row-batches.ts) with memory independent of the row
 *   count (ReducerPlugin.fitStream); a plugin's ability, not its fitted models'
 */
export const CAPABILITIES = ['encode', 'decode', 'fit-transform', 'encode-distribution', 'sample', 'likelihood-bound', 'partial-fit', 'fit-stream'] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** Capabilities of the plugin itself (how it fits), which its fitted models need not declare. */
export const PLUGIN_CAPABILITIES: readonly Capability[] = ['fit-stream'];

/** The capabilities a plugin's fitted models declare: its own less the plugin-only ones. */
export function modelCapabilities(capabilities: readonly Capability[]): Capability[] {
  return capabilities.filter((c) => !PLUGIN_CAPABILITIES.includes(c));
}

/** Something that declares capabilities: a plugin or a fitted reducer. */
export interface HasCapabilities {
  readonly kind: string;
  readonly capabilities: readonly Capability[];
}

export function hasCapability(subject: HasCapabilities, capability: Capability): boolean {
  return subject.capabilities.includes(capability);
}

/** The one error for a missing capability: E_UNSUPPORTED naming the reducer and what it cannot do. */
export function unsupported(kind: string, capability: Capability, need?: string): LatentkitError {
  return new LatentkitError('E_UNSUPPORTED', `reducer "${kind}" does not support ${capability}${need ? ` (needed for ${need})` : ''}`);
}

/** Throws E_UNSUPPORTED unless the subject declares the capability. */
export function requireCapability(subject: HasCapabilities, capability: Capability, need?: string): void {
  if (!hasCapability(subject, capability)) throw unsupported(subject.kind, capability, need);
}

/** Validates a declared capability list (plugins are untrusted input). */
export function checkCapabilities(list: unknown, name: string): readonly Capability[] {
  if (!Array.isArray(list) || list.length === 0) throw new LatentkitError('E_PLUGIN', `plugin ${name} must declare its capabilities (some of: ${CAPABILITIES.join(', ')})`);
  for (const c of list) {
    if (!CAPABILITIES.includes(c as Capability)) throw new LatentkitError('E_PLUGIN', `plugin ${name} declares unknown capability ${JSON.stringify(c)} (known: ${CAPABILITIES.join(', ')})`);
  }
  if (!list.includes('encode') && !list.includes('fit-transform')) {
    throw new LatentkitError('E_PLUGIN', `plugin ${name} must declare "encode" or "fit-transform": a reducer has to give codes`);
  }
  // A streamed fit keeps no rows, so it cannot hand back their codes: the model has to encode them.
  if (list.includes('fit-stream') && !list.includes('encode')) {
    throw new LatentkitError('E_PLUGIN', `plugin ${name} declares "fit-stream" without "encode": a streamed fit keeps no rows, so its model must encode them`);
  }
  return list as Capability[];
}
