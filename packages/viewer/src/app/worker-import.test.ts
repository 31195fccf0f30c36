import { describe, expect, it } from 'vitest';
import { rewriteImports } from './worker-import.js';

const MAP = {
  '@latentkit/core': 'http://127.0.0.1:5173/shared/latentkit-core.js',
  '@tensorflow/tfjs': 'http://127.0.0.1:5173/shared/tfjs.js',
};
const MODULE = 'http://127.0.0.1:5173/plugins/toy.js';

describe('rewriteImports', () => {
  it('points mapped bare specifiers at their shared files, in every import form', async () => {
    const source = [
      "import { LatentkitError } from '@latentkit/core';",
      'import * as tf from "@tensorflow/tfjs";',
      "export { createMatrix } from '@latentkit/core';",
      "const lazy = () => import('@tensorflow/tfjs');",
      "import '@latentkit/core';",
    ].join('\n');
    const out = await rewriteImports(source, MAP, MODULE);
    expect(out).toBe(
      [
        `import { LatentkitError } from '${MAP['@latentkit/core']}';`,
        `import * as tf from "${MAP['@tensorflow/tfjs']}";`,
        `export { createMatrix } from '${MAP['@latentkit/core']}';`,
        `const lazy = () => import(${JSON.stringify(MAP['@tensorflow/tfjs'])});`,
        `import '${MAP['@latentkit/core']}';`,
      ].join('\n'),
    );
  });

  it('resolves relative imports against the module\'s own URL (a blob: URL has none)', async () => {
    const out = await rewriteImports("import a from './chunk.js';\nimport b from '../x/y.js';\nimport c from '/abs.js';", MAP, MODULE);
    expect(out).toContain("from 'http://127.0.0.1:5173/plugins/chunk.js'");
    expect(out).toContain("from 'http://127.0.0.1:5173/x/y.js'");
    expect(out).toContain("from 'http://127.0.0.1:5173/abs.js'");
  });

  it('leaves unmapped specifiers, full URLs, import.meta and look-alike strings alone', async () => {
    const source = [
      "import z from 'zod';",
      "import u from 'https://cdn.example/u.js';",
      'const here = import.meta.url;',
      "const text = \"import x from '@latentkit/core'\";",
      "const dyn = (name) => import(name);",
    ].join('\n');
    expect(await rewriteImports(source, MAP, MODULE)).toBe(source);
  });

  it('says which module is not an ES module it can read', async () => {
    await expect(rewriteImports('import { from', MAP, MODULE)).rejects.toThrow(/plugins\/toy\.js is not a valid ES module/);
  });
});
