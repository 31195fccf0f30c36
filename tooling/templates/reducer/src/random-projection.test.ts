import { describe, expect, it } from 'vitest';
import { describeReducerConformance, toyImages } from '@latentkit/reducer-conformance';
import plugin from './index.js';

describeReducerConformance(plugin);

describe('random projection', () => {
  it('has orthonormal columns, so decode∘encode is a projection (idempotent)', async () => {
    const data = toyImages(40, 3);
    const r = plugin.create({ latentDim: 5 });
    await r.fit(data, { seed: 2 });
    const once = await r.decode(await r.encode(data.x));
    const twice = await r.decode(await r.encode(once));
    let m = 0;
    for (let i = 0; i < once.data.length; i++) m = Math.max(m, Math.abs(once.data[i]! - twice.data[i]!));
    expect(m).toBeLessThan(1e-5);
  });
});
