import { assertReducerPlugin, hasCapability, type Capability, type ReducerPlugin } from '@latentkit/core';
import { ALL_CHECKS, pluginShape, type CheckDefinition } from './checks/index.js';
import { ConformanceContext } from './context.js';
import { resolveConformance, type ConformanceOptions } from './settings.js';

/** One conformance check: a plain async function, for any test runner. */
export interface ConformanceCheck {
  /** Stable identifier, e.g. "encode-batching". */
  readonly id: string;
  readonly name: string;
  /** The capability it exercises; absent for checks every reducer gets. */
  readonly capability?: Capability;
  /** Resolves when the reducer conforms; rejects with a one-line reason when it does not. */
  run(): Promise<void>;
}

/** The checks chosen for one plugin, plus the teardown of the model they share. */
export interface ConformanceSuite {
  readonly kind: string | undefined;
  readonly capabilities: readonly Capability[];
  readonly checks: readonly ConformanceCheck[];
  /** Disposes the model the checks share, if one is still held; call once all checks have run. */
  release(): Promise<void>;
}

/** Whether a check is chosen for a plugin: by the capability it exercises, like scikit-learn's estimator tags. */
export function selects(check: CheckDefinition, plugin: ReducerPlugin): boolean {
  return (check.capability === undefined || hasCapability(plugin, check.capability)) && (check.appliesTo?.(plugin) ?? true);
}

/**
 * Builds the suite for a candidate plugin. Something that is not a plugin gets one failing check saying
 * why; bad suite settings (e.g. an option the plugin's schema does not have) throw here, up front.
 */
export function conformanceSuite(candidate: unknown, options: ConformanceOptions = {}): ConformanceSuite {
  let plugin: ReducerPlugin;
  try {
    plugin = assertReducerPlugin(candidate, 'the plugin under test');
  } catch (e) {
    const reason = e as Error;
    const kind = typeof (candidate as { kind?: unknown } | null)?.kind === 'string' ? (candidate as { kind: string }).kind : undefined;
    const check: ConformanceCheck = { id: pluginShape.id, name: pluginShape.name, run: () => Promise.reject(reason) };
    return { kind, capabilities: [], checks: [check], release: async () => {} };
  }
  const ctx = new ConformanceContext(plugin, candidate, resolveConformance(plugin, options));
  const checks = ALL_CHECKS.filter((c) => selects(c, plugin)).map(
    (c): ConformanceCheck => ({ id: c.id, name: c.name, ...(c.capability ? { capability: c.capability } : {}), run: () => c.run(ctx) }),
  );
  return { kind: plugin.kind, capabilities: plugin.capabilities, checks, release: () => ctx.release() };
}

/**
 * The checks for a plugin, chosen by its declared capabilities, as plain async functions. They share one
 * fitted model; run them in order (the last, dispose, frees it).
 */
export function conformanceChecks(candidate: unknown, options: ConformanceOptions = {}): ConformanceCheck[] {
  return [...conformanceSuite(candidate, options).checks];
}
