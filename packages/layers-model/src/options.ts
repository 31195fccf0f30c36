import { BACKEND_NAMES } from '@latentkit/ae-core';
import { z } from 'zod';

/**
 * Where the models are: an exported folder (with latentkit-export.json, as `latentkit export --format layers`
 * writes it), or an encoder model.json and optionally a decoder model.json. Paths are file paths in Node and
 * URLs in the browser; weight files are found relative to their model.json.
 */
export const layersModelOptions = z.strictObject({
  folder: z.string().min(1).optional().describe('exported folder holding latentkit-export.json, encoder/ and decoder/ (instead of encoder and decoder)'),
  encoder: z.string().min(1).optional().describe('path or URL of the encoder model.json (a TF.js LayersModel: rows → codes)'),
  decoder: z.string().min(1).optional().describe('path or URL of the decoder model.json (codes → rows); without it the model only encodes'),
  backend: z.enum(BACKEND_NAMES).default('wasm').describe('tfjs backend: wasm (fast) or cpu (pure JS)'),
});

export type LayersModelOptions = z.output<typeof layersModelOptions>;
export type LayersModelOptionsInput = z.input<typeof layersModelOptions>;
