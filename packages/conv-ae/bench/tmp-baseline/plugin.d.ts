import { type AutoencoderDefinition, type AutoencoderReducer, type AutoencoderSettings, type FittedAutoencoder } from '@latentkit/ae-core';
import type { Dataset, FitOptions, ModelBundle } from '@latentkit/core';
import { z } from 'zod';
/** conv-ae's options: the layout, then the shared training options with conv-ae's defaults (it trains longer, in smaller batches). */
export declare const convAeOptions: z.ZodObject<{
    channels: z.ZodDefault<z.ZodReadonly<z.ZodArray<z.ZodNumber>>>;
    kernels: z.ZodDefault<z.ZodReadonly<z.ZodArray<z.ZodNumber>>>;
    strides: z.ZodDefault<z.ZodReadonly<z.ZodArray<z.ZodNumber>>>;
    activation: z.ZodDefault<z.ZodEnum<{
        relu: "relu";
        elu: "elu";
        tanh: "tanh";
        linear: "linear";
    }>>;
    batchNorm: z.ZodDefault<z.ZodBoolean>;
    epochs: z.ZodDefault<z.ZodNumber>;
    batchSize: z.ZodDefault<z.ZodNumber>;
    learningRate: z.ZodDefault<z.ZodNumber>;
    lrSchedule: z.ZodDefault<z.ZodEnum<{
        constant: "constant";
        cosine: "cosine";
        step: "step";
    }>>;
    validationSplit: z.ZodDefault<z.ZodNumber>;
    patience: z.ZodDefault<z.ZodNumber>;
    backend: z.ZodDefault<z.ZodEnum<{
        wasm: "wasm";
        cpu: "cpu";
    }>>;
    retries: z.ZodDefault<z.ZodNumber>;
    corrupt: z.ZodDefault<z.ZodString>;
}, z.core.$strict>;
/** Options with defaults filled, as a fitted model and its bundle hold them. */
export type ConvAeOptions = z.output<typeof convAeOptions>;
/** Options as a caller passes them: every field optional. */
export type ConvAeOptionsInput = z.input<typeof convAeOptions>;
/** What fitConvAe is asked for: d plus any conv-ae option. */
export type ConvAeSettings = AutoencoderSettings<typeof convAeOptions>;
/** A fitted convolutional autoencoder. */
export type ConvAe = AutoencoderReducer<ConvAeOptions>;
export declare const convAeDefinition: AutoencoderDefinition<typeof convAeOptions>;
/** Deep convolutional autoencoder: five valid conv layers down to 1×1×d, mirrored with transposed convs. */
export declare const convAePlugin: import("@latentkit/ae-core").AutoencoderPlugin<z.ZodObject<{
    channels: z.ZodDefault<z.ZodReadonly<z.ZodArray<z.ZodNumber>>>;
    kernels: z.ZodDefault<z.ZodReadonly<z.ZodArray<z.ZodNumber>>>;
    strides: z.ZodDefault<z.ZodReadonly<z.ZodArray<z.ZodNumber>>>;
    activation: z.ZodDefault<z.ZodEnum<{
        relu: "relu";
        elu: "elu";
        tanh: "tanh";
        linear: "linear";
    }>>;
    batchNorm: z.ZodDefault<z.ZodBoolean>;
    epochs: z.ZodDefault<z.ZodNumber>;
    batchSize: z.ZodDefault<z.ZodNumber>;
    learningRate: z.ZodDefault<z.ZodNumber>;
    lrSchedule: z.ZodDefault<z.ZodEnum<{
        constant: "constant";
        cosine: "cosine";
        step: "step";
    }>>;
    validationSplit: z.ZodDefault<z.ZodNumber>;
    patience: z.ZodDefault<z.ZodNumber>;
    backend: z.ZodDefault<z.ZodEnum<{
        wasm: "wasm";
        cpu: "cpu";
    }>>;
    retries: z.ZodDefault<z.ZodNumber>;
    corrupt: z.ZodDefault<z.ZodString>;
}, z.core.$strict>>;
/** The plugin's "layers" exporter: a TF.js LayersModel pair (`latentkit export`). */
export declare const convAeLayersExporter: import("@latentkit/ae-core").ModelExporter;
/** Trains a conv autoencoder on image data: `{ model, result }`, model fitted (see fitAutoencoder for validation and failures). */
export declare function fitConvAe(data: Dataset, settings: ConvAeSettings, fitOptions?: FitOptions): Promise<FittedAutoencoder<ConvAeOptions>>;
/** Restores a conv autoencoder from a bundle written by save() (or a checkpoint). */
export declare function loadConvAe(bundle: ModelBundle): Promise<ConvAe>;
//# sourceMappingURL=plugin.d.ts.map