import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeConformance } from '@latentkit/reducer-conformance/vitest';
import { toyImages } from '@latentkit/reducer-conformance';
import { reconstruct, ReducerRegistry } from '@latentkit/core';
import plugin from './index.js';

// The shared checks latentkit runs on every reducer, chosen by the capabilities the plugin declares.
describeConformance(plugin);

describe('__KIND__', () => {
  it('decode∘encode is a projection: applying it twice changes nothing', async () => {
    const registry = new ReducerRegistry().register(plugin);
    const data = toyImages(40, 3);
    const { model } = await registry.fit('__KIND__', data, await registry.settings('__KIND__', 5, {}), { seed: 2 });
    const once = await reconstruct(model, data.x);
    const twice = await reconstruct(model, once);
    let worst = 0;
    for (let i = 0; i < once.data.length; i++) worst = Math.max(worst, Math.abs(once.data[i]! - twice.data[i]!));
    expect(worst).toBeLessThan(1e-5);
  });

  it('records the version package.json declares', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
    expect(plugin.package).toEqual({ name: pkg.name, version: pkg.version });
  });
});
