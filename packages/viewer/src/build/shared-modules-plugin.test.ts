import { describe, expect, it } from 'vitest';
import { SHARED_MODULES, sharedImportMap } from '../shared-modules.js';
import { importMapTag, sharedInputs, workerSharedPath } from './shared-modules-plugin.js';

describe('the shared modules and the import map', () => {
  it('maps every shared specifier to its own stable file beside the page', () => {
    const { imports } = sharedImportMap();
    expect(Object.keys(imports)).toEqual(SHARED_MODULES.map((m) => m.specifier));
    for (const m of SHARED_MODULES) expect(imports[m.specifier]).toBe(`./shared/${m.file}.js`);
    expect(new Set(Object.values(imports)).size).toBe(SHARED_MODULES.length);
  });

  it('offers what a plugin may import: core, ae-core, tfjs with its wasm backend, and zod', () => {
    const specifiers = SHARED_MODULES.map((m) => m.specifier);
    for (const s of ['@latentkit/core', '@latentkit/ae-core', '@tensorflow/tfjs', '@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm', 'zod']) expect(specifiers).toContain(s);
  });

  it('writes the import map as the first tag of <head>, as valid JSON', () => {
    const tag = importMapTag();
    expect(tag.tag).toBe('script');
    expect(tag.attrs).toEqual({ type: 'importmap' });
    expect(tag.injectTo).toBe('head-prepend');
    expect(JSON.parse(tag.children as string)).toEqual(sharedImportMap());
  });

  it('escapes "<" so the map cannot end its script tag', () => {
    const tag = importMapTag({ imports: { x: './</script><script>alert(1)</script>.js' } });
    expect(tag.children).not.toContain('</script');
    expect(JSON.parse(tag.children as string).imports.x).toBe('./</script><script>alert(1)</script>.js');
  });

  it('builds one entry per shared module, named shared/<file>', () => {
    expect(sharedInputs()).toEqual(Object.fromEntries(SHARED_MODULES.map((m) => [`shared/${m.file}`, m.specifier])));
  });

  it('points the worker (in assets/) at the same files, relatively', () => {
    expect(workerSharedPath('@latentkit/core')).toBe('../shared/latentkit-core.js');
    expect(workerSharedPath('@tensorflow/tfjs', 'static/js')).toBe('../../shared/tfjs.js');
    expect(workerSharedPath('zod')).toBe('../shared/zod.js');
    expect(workerSharedPath('left-pad')).toBeUndefined();
  });
});
