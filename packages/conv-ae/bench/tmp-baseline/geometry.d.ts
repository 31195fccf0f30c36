/** One encoder convolution: input size/channels → output size/channels (valid padding). */
export interface ConvStage {
    readonly kernel: number;
    readonly stride: number;
    readonly inChannels: number;
    readonly outChannels: number;
    /** Spatial size [h, w] before and after the convolution. */
    readonly inSize: readonly [number, number];
    readonly outSize: readonly [number, number];
}
export interface ConvLayout {
    readonly channels: readonly number[];
    readonly kernels: readonly number[];
    readonly strides: readonly number[];
}
/**
 * Walks the encoder over an [h, w, c] image: each stage is a valid convolution, the last one produces
 * d channels and must land on 1×1 so the code is exactly d numbers. The decoder mirrors these stages.
 */
export declare function encoderStages(kind: string, imageShape: readonly number[], latentDim: number, layout: ConvLayout): ConvStage[];
//# sourceMappingURL=geometry.d.ts.map