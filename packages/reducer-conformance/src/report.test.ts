import { describe, expect, it } from 'vitest';
import type { FitOutcome, ReducerPlugin } from '@latentkit/core';
import { formatConformanceReport, runConformance } from './report.js';
import { conformanceSuite } from './suite.js';
import { toyPlugin } from './__fixtures__/toy-plugin.js';

/** Wraps a plugin so the test can see which fitted or loaded models were never disposed. */
function leakCounting(plugin: ReducerPlugin): { plugin: ReducerPlugin; live: () => number } {
  let live = 0;
  const track = <M extends { dispose(): void }>(m: M): M => {
    live++;
    let disposed = false;
    const dispose = m.dispose.bind(m);
    return Object.assign(m, {
      dispose: () => {
        if (!disposed) live--;
        disposed = true;
        dispose();
      },
    });
  };
  return {
    plugin: {
      ...plugin,
      fit: async (...args: Parameters<ReducerPlugin['fit']>): Promise<FitOutcome> => {
        const outcome = await plugin.fit(...args);
        return { ...outcome, model: track(outcome.model) };
      },
      load: async (bundle) => track(await plugin.load(bundle)),
    },
    live: () => live,
  };
}

describe('runConformance', () => {
  it('reports each check with its capability and a verdict', async () => {
    const report = await runConformance(toyPlugin({ capabilities: ['encode', 'decode'] }));
    expect(report.kind).toBe('toy');
    expect(report.capabilities).toEqual(['encode', 'decode']);
    expect(report.passed).toBe(true);
    expect(report.results.find((r) => r.id === 'decode-shape')).toMatchObject({ capability: 'decode', passed: true });
    expect(report.results.every((r) => r.seconds >= 0)).toBe(true);
  });

  it('reports a failing check with its reason, and formats the report', async () => {
    const report = await runConformance(toyPlugin({ capabilities: ['encode'], flaws: ['disposeNoop'] }));
    expect(report.passed).toBe(false);
    const text = formatConformanceReport(report);
    expect(text.split('\n')[0]).toBe(`reducer "toy" [encode]: 1 of ${report.results.length} checks failed`);
    expect(text).toContain('✗ dispose: the model is unusable afterwards (LatentkitError), and a second dispose is harmless\n    encode() after dispose() should throw a LatentkitError, but succeeded');
    expect(text).toContain('✓ encode: n×d finite codes');
  });

  it('disposes every model it fits or loads, also when checks fail', async () => {
    const ok = leakCounting(toyPlugin({ capabilities: ['encode', 'decode', 'partial-fit'], withPackage: true }));
    await runConformance(ok.plugin);
    expect(ok.live()).toBe(0);
    const broken = leakCounting(toyPlugin({ capabilities: ['encode', 'decode'], flaws: ['lossySave', 'randomFit', 'acceptsEmpty', 'acceptsFullLatent'] }));
    const report = await runConformance(broken.plugin);
    expect(report.passed).toBe(false);
    expect(broken.live()).toBe(0);
  });

  it('release() frees the shared model when a runner stops before the dispose check', async () => {
    const counted = leakCounting(toyPlugin({ capabilities: ['encode'] }));
    const suite = conformanceSuite(counted.plugin);
    await suite.checks.find((c) => c.id === 'encode-shape')!.run();
    expect(counted.live()).toBe(1);
    await suite.release();
    expect(counted.live()).toBe(0);
  });
});
