import { assertFittedReducer, bundleFiles, hasCapability, modelCapabilities, readBundle, ReducerRegistry, type ModelBundle, type Reducer } from '@latentkit/core';
import { expectClose, expectLatentkitError, fail, sameJson } from '../assertions.js';
import type { ConformanceContext } from '../context.js';
import type { CheckDefinition } from './definition.js';

/** The bundle as it comes back from disk or HTTP: written to files and read (checksums and all). */
export function throughFiles(bundle: ModelBundle): Promise<ModelBundle> {
  const files = bundleFiles(bundle);
  return readBundle(async (file) => {
    const bytes = files.get(file);
    if (!bytes) throw new Error(`no file ${file}`);
    return bytes;
  }, 'the saved bundle');
}

/** Every output the model's capabilities give, on the suite's data, for comparing two models. */
async function expectSameOutputs(ctx: ConformanceContext, a: Reducer, b: Reducer): Promise<void> {
  const has = (c: Parameters<typeof hasCapability>[1]) => hasCapability(ctx.plugin, c);
  const { x } = ctx;
  if (has('encode')) expectClose('codes before and after save/load', await a.encode!(x), await b.encode!(x));
  if (has('decode')) {
    const z = has('encode') ? await a.encode!(x) : (await ctx.shared()).embedding!;
    expectClose('reconstructions before and after save/load', await a.decode!(z), await b.decode!(z));
  }
  if (has('encode-distribution')) {
    const [qa, qb] = [await a.encodeDistribution!(x), await b.encodeDistribution!(x)];
    expectClose('encodeDistribution().mean before and after save/load', qa.mean, qb.mean);
    expectClose('encodeDistribution().logVar before and after save/load', qa.logVar, qb.logVar);
  }
  if (has('sample')) expectClose('sample(4, { seed: 3 }) before and after save/load', await a.sample!(4, { seed: 3 }), await b.sample!(4, { seed: 3 }));
  if (has('likelihood-bound')) {
    const [la, lb] = [await a.logLikelihoodBound!(x, { seed: 3 }), await b.logLikelihoodBound!(x, { seed: 3 })];
    const i = la.findIndex((v, j) => v !== lb[j]);
    if (i >= 0 || la.length !== lb.length) fail(`logLikelihoodBound (seed 3) before and after save/load differs${i >= 0 ? ` at row ${i}: ${la[i]} vs ${lb[i]}` : ` in length: ${la.length} vs ${lb.length}`}`);
  }
}

export const saveLoad: CheckDefinition = {
  id: 'save-load',
  name: 'save/load: a round trip through files gives a model with identical outputs',
  async run(ctx) {
    const { model } = await ctx.shared();
    const bundle = await model.save();
    const m = bundle.manifest;
    if (m.kind !== ctx.plugin.kind) fail(`the bundle's kind is "${m.kind}", the plugin's "${ctx.plugin.kind}"`);
    if (m.latentDim !== model.latentDim) fail(`the bundle records latentDim ${m.latentDim}, the model has ${model.latentDim}`);
    if (!sameJson(m.inputShape, model.inputShape)) fail(`the bundle records inputShape [${m.inputShape.join(',')}], the model has [${model.inputShape.join(',')}]`);
    const loaded = assertFittedReducer(await ctx.plugin.load(await throughFiles(bundle)), ctx.plugin, 'load');
    try {
      for (const key of ['kind', 'latentDim', 'inputDim', 'inputShape', 'parameterCount'] as const) {
        if (!sameJson(loaded[key], model[key])) fail(`the loaded model's ${key} is ${JSON.stringify(loaded[key])}, the saved one's ${JSON.stringify(model[key])}`);
      }
      if (!sameJson(modelCapabilities(loaded.capabilities).sort(), modelCapabilities(ctx.plugin.capabilities).sort())) fail(`the loaded model declares [${loaded.capabilities.join(', ')}], the plugin [${ctx.plugin.capabilities.join(', ')}]`);
      await expectSameOutputs(ctx, model, loaded);
    } finally {
      loaded.dispose();
    }
  },
};

export const loadOtherKind: CheckDefinition = {
  id: 'load-other-kind',
  name: 'load: refuses a bundle of another kind (E_BUNDLE_CORRUPT or E_PLUGIN)',
  async run(ctx) {
    const bundle = await (await ctx.shared()).model.save();
    const other = { ...bundle, manifest: { ...bundle.manifest, kind: `${bundle.manifest.kind}-other` } };
    await expectLatentkitError("load of another kind's bundle", async () => (await ctx.plugin.load(other))?.dispose?.(), ['E_BUNDLE_CORRUPT', 'E_PLUGIN']);
  },
};

export const bundlePackage: CheckDefinition = {
  id: 'bundle-package',
  name: "save/load: a bundle saved through the registry records the plugin's package",
  appliesTo: (plugin) => plugin.package !== undefined,
  async run(ctx) {
    const want = ctx.plugin.package!;
    const registry = new ReducerRegistry().register(ctx.candidate, 'the plugin under test');
    const { model } = await ctx.shared();
    const recorded = (b: ModelBundle) => JSON.stringify(b.manifest.plugin);
    const bundle = await registry.save(model);
    if (!sameJson(bundle.manifest.plugin, want)) fail(`the bundle records package ${recorded(bundle)}, expected the plugin's ${JSON.stringify(want)}`);
    const loaded = await registry.load(await throughFiles(bundle));
    try {
      const again = await registry.save(loaded);
      if (!sameJson(again.manifest.plugin, want)) fail(`a loaded model saved again records package ${recorded(again)}, expected ${JSON.stringify(want)}`);
    } finally {
      loaded.dispose();
    }
  },
};
