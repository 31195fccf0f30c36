import { z } from 'zod';

/**
 * UMAP's options, declared once: the TypeScript types, defaults, bounds, --help text and the CLI's
 * string coercion (through the schema's JSON Schema) all come from here. Names follow umap-js.
 */
export const umapOptions = z
  .strictObject({
    nNeighbors: z
      .number()
      .int()
      .min(2)
      .max(200)
      .default(15)
      .describe('size of the local neighbourhood: small values keep local detail, large ones the global layout (must be below the row count)'),
    minDist: z.number().min(0).default(0.1).describe('smallest distance between embedded points: small values pack clusters tightly (at most spread)'),
    spread: z.number().positive().default(1).describe('scale of the embedded points; with minDist it sets how clumped the layout is'),
    nEpochs: z
      .union([z.literal('auto'), z.number().int().min(1).max(5000)])
      .default('auto')
      .describe("layout optimisation epochs, or 'auto' (as umap-js picks: 500 up to 2,500 rows, 400 to 5,000, 300 to 7,500, then 200); encode runs a third as many per new row (100 for 'auto')"),
    metric: z.enum(['euclidean', 'cosine']).default('euclidean').describe('distance between input rows'),
  })
  .refine((o) => o.minDist <= o.spread, { message: 'minDist must be at most spread', path: ['minDist'] });

/** Options with defaults filled, as a fitted model and its bundle hold them. */
export type UmapOptions = z.output<typeof umapOptions>;
/** Options as a caller passes them: every field optional. */
export type UmapOptionsInput = z.input<typeof umapOptions>;
export type UmapMetric = UmapOptions['metric'];

/** Epochs of encode's per-row optimisation: umap-learn's transform rule (a third of the fit's, or 100). */
export function encodeEpochs(options: Pick<UmapOptions, 'nEpochs'>): number {
  return options.nEpochs === 'auto' ? 100 : Math.max(1, Math.floor(options.nEpochs / 3));
}
