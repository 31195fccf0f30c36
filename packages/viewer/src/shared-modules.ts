/**
 * The modules the viewer shares with third-party plugins: each is built as its own ES module with a stable
 * file name (shared/<file>.js), the page maps the bare specifier to it with an import map, and the viewer's
 * own code imports the same file — so a plugin's `import … from '@latentkit/core'` gets the viewer's very
 * instance (one tfjs, one wasm backend, one LatentkitError class).
 */
export const SHARED_MODULES = [
  { specifier: '@latentkit/core', file: 'latentkit-core' },
  { specifier: '@latentkit/ae-core', file: 'latentkit-ae-core' },
  { specifier: '@latentkit/latent', file: 'latentkit-latent' },
  { specifier: '@tensorflow/tfjs', file: 'tfjs' },
  { specifier: '@tensorflow/tfjs-core', file: 'tfjs-core' },
  { specifier: '@tensorflow/tfjs-layers', file: 'tfjs-layers' },
  { specifier: '@tensorflow/tfjs-backend-wasm', file: 'tfjs-backend-wasm' },
  // The options-schema library plugins are written with (docs/writing-a-reducer.md).
  { specifier: 'zod', file: 'zod' },
] as const;

/** Folder of the built viewer that holds the shared modules. */
export const SHARED_DIR = 'shared';

/** Path of a shared module's file, relative to the viewer's page. */
export function sharedModulePath(file: string): string {
  return `./${SHARED_DIR}/${file}.js`;
}

/** An import map (https://html.spec.whatwg.org/#import-maps) from the shared specifiers to their files. */
export interface ImportMap {
  readonly imports: Readonly<Record<string, string>>;
}

/** The page's import map: every shared specifier → its file, relative to the page. */
export function sharedImportMap(): ImportMap {
  return { imports: Object.fromEntries(SHARED_MODULES.map((m) => [m.specifier, sharedModulePath(m.file)])) };
}
