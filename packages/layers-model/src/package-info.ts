import type { PluginPackage } from '@latentkit/core';
// package.json is the one place the name and version live; dist/package-info.js reads it from the package root.
import pkg from '../package.json' with { type: 'json' };

/** The npm package of this plugin, recorded in the bundles it writes. */
export const LAYERS_MODEL_PACKAGE: PluginPackage = { name: pkg.name, version: pkg.version };

export const LAYERS_MODEL_KIND = 'layers-model';
