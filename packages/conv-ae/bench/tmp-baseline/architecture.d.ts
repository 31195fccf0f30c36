import { type Architecture, type ArchitectureContext } from '@latentkit/ae-core';
import { type ConvLayout } from './geometry.js';
/**
 * The lecture's five-layer encoder for 28×28 images: 5×5, 5×5, 4×4/2, 3×3/2, 4×4 → 1×1×d, with the first two
 * layers narrowed to 16 channels (the 5×5 layers dominate training time; 32,32,32,32 is the lecture's width).
 */
export declare const DEFAULT_LAYOUT: ConvLayout;
/** The layout an options object asks for (the defaults where it says nothing). */
export declare function convLayoutOf(o: Readonly<Record<string, unknown>>): ConvLayout;
/**
 * Encoder: valid convolutions down to 1×1×d, flattened to the code. Decoder: the same stages in
 * reverse as transposed convolutions, ending in a sigmoid so pixels land in [0, 1].
 */
export declare function buildConvArchitecture(ctx: ArchitectureContext): Architecture;
//# sourceMappingURL=architecture.d.ts.map