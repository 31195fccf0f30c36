import type * as tf from '@tensorflow/tfjs';
import { activate, dense, denseSpecs, initFor, meanLogits, type ActivationName, type Architecture, type ArchitectureContext, type ParamSpec, type Params } from '@latentkit/ae-core';
import { LatentkitError } from '@latentkit/core';

export const DEFAULT_HIDDEN: readonly number[] = [256, 64];

/** The dense layout an option set asks for: hidden widths (mirrored), nonlinearity and output squashing. */
export interface DenseLayout {
  readonly hidden: readonly number[];
  readonly activation: ActivationName;
  readonly outputSigmoid: boolean;
}

/** linear: true means no hidden nonlinearity, no output sigmoid and, unless given, no hidden layers. */
export function denseLayout(kind: string, options: ArchitectureContext['options']): DenseLayout {
  const linear = options.linear === true;
  const hidden = (options.hidden as readonly number[] | undefined) ?? (linear ? [] : DEFAULT_HIDDEN);
  for (const h of hidden) {
    if (!Number.isInteger(h) || h < 1) throw new LatentkitError('E_OPTION', `reducer "${kind}" option hidden: widths must be positive integers, got ${hidden.join(',')}`);
  }
  return {
    hidden,
    activation: linear ? 'linear' : (options.activation as ActivationName),
    outputSigmoid: linear ? false : ((options.outputSigmoid as boolean | undefined) ?? true),
  };
}

/** x (D) → hidden… → z (d, linear) → …hidden mirrored → x̂ (D, sigmoid unless linear). */
export function buildDenseArchitecture(ctx: ArchitectureContext): Architecture {
  const { hidden, activation, outputSigmoid } = denseLayout(ctx.kind, ctx.options);
  const inputDim = ctx.inputShape.reduce((a, b) => a * b, 1);
  const encoderWidths = [inputDim, ...hidden, ctx.latentDim];
  const decoderWidths = [...encoderWidths].reverse();
  const hiddenInit = initFor(activation);
  const layers = (prefix: string, widths: readonly number[]) =>
    widths.slice(1).map((out, i) => ({ prefix: `${prefix}.${i}`, inDim: widths[i]!, outDim: out, last: i === widths.length - 2 }));
  const encoderLayers = layers('encoder', encoderWidths);
  const decoderLayers = layers('decoder', decoderWidths);
  const outputPrefix = decoderLayers.at(-1)!.prefix;
  const params = [...encoderLayers, ...decoderLayers]
    .flatMap((l) => denseSpecs(l.prefix, l.inDim, l.outDim, l.last ? 'glorotUniform' : hiddenInit))
    .map((spec) => (outputSigmoid && spec.name === `${outputPrefix}.bias` ? withMeanStart(spec, inputDim) : spec));

  const run = (p: Params, x: tf.Tensor2D, stack: typeof encoderLayers, output: ActivationName): tf.Tensor2D =>
    stack.reduce((h, l) => activate(l.last ? output : activation, dense(p, l.prefix, h)), x);

  return {
    params,
    // Two FLOPs per weight of every matrix, encoder and decoder: the loop's rule for splitting a step.
    flopsPerRow: [...encoderLayers, ...decoderLayers].reduce((sum, l) => sum + 2 * l.inDim * l.outDim, 0),
    encode: (p, x) => run(p, x, encoderLayers, 'linear'),
    decode: (p, z) => run(p, z, decoderLayers, outputSigmoid ? 'sigmoid' : 'linear'),
  };
}

/**
 * A sigmoid output's bias starts at the logit of each feature's mean over the training rows (set by the
 * training loop before the first step), so the first reconstruction is the mean image rather than 0.5 grey:
 * the start that keeps conv-ae out of the blank-image collapse, given to the dense decoder too.
 */
function withMeanStart(spec: ParamSpec, features: number): ParamSpec {
  return { ...spec, fromData: (x, rows) => meanLogits(x, rows, features) };
}
