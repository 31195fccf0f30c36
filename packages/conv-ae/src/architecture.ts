import * as tf from '@tensorflow/tfjs';
import { activate, initFor, meanLogits, type ActivationName, type Architecture, type ArchitectureContext, type ForwardContext, type ParamSpec, type Params } from '@latentkit/ae-core';
import { batchNorm, batchNormSpecs } from './batch-norm.js';
import { conv2dStride1, fullConv2d } from './fast-conv.js';
import { fullConv2dToFewChannels, inputConv2d, FEW_CHANNELS } from './fast-conv-single-channel.js';
import { encoderStages, type ConvLayout, type ConvStage } from './geometry.js';

/**
 * The lecture's five-layer encoder for 28×28 images: 5×5, 5×5, 4×4/2, 3×3/2, 4×4 → 1×1×d, with the first two
 * layers narrowed to 16 channels (the 5×5 layers dominate training time; 32,32,32,32 is the lecture's width).
 */
export const DEFAULT_LAYOUT: ConvLayout = { channels: [16, 16, 32, 32], kernels: [5, 5, 4, 3, 4], strides: [1, 1, 2, 2, 1] };

interface Layer {
  readonly prefix: string;
  readonly stage: ConvStage;
  /** Hidden layers get batch norm (when on) and the nonlinearity; the code and output layers do not. */
  readonly hidden: boolean;
}

/** The layout an options object asks for (the defaults where it says nothing). */
export function convLayoutOf(o: Readonly<Record<string, unknown>>): ConvLayout {
  return {
    channels: (o.channels as readonly number[] | undefined) ?? DEFAULT_LAYOUT.channels,
    kernels: (o.kernels as readonly number[] | undefined) ?? DEFAULT_LAYOUT.kernels,
    strides: (o.strides as readonly number[] | undefined) ?? DEFAULT_LAYOUT.strides,
  };
}

/**
 * Encoder: valid convolutions down to 1×1×d, flattened to the code. Decoder: the same stages in
 * reverse as transposed convolutions, ending in a sigmoid so pixels land in [0, 1].
 */
export function buildConvArchitecture(ctx: ArchitectureContext): Architecture {
  const o = ctx.options;
  const layout = convLayoutOf(o);
  const activation = o.activation as ActivationName;
  const useBatchNorm = o.batchNorm === true;
  const stages = encoderStages(ctx.kind, ctx.inputShape, ctx.latentDim, layout);
  const last = stages.length - 1;
  const encoder: Layer[] = stages.map((stage, i) => ({ prefix: `encoder.${i}`, stage, hidden: i < last }));
  // Decoder layer j undoes encoder stage last−j; its final layer rebuilds the image channels.
  const decoder: Layer[] = stages.map((_, j) => ({ prefix: `decoder.${j}`, stage: stages[last - j]!, hidden: j < last }));

  const hiddenInit = initFor(activation);
  const params: ParamSpec[] = [];
  for (const l of encoder) {
    const { kernel: k, inChannels, outChannels } = l.stage;
    params.push({ name: `${l.prefix}.kernel`, shape: [k, k, inChannels, outChannels], init: l.hidden ? hiddenInit : 'glorotUniform' });
    params.push({ name: `${l.prefix}.bias`, shape: [outChannels], init: 'zeros' });
    if (l.hidden && useBatchNorm) params.push(...batchNormSpecs(`${l.prefix}.norm`, outChannels));
  }
  for (const l of decoder) {
    // Output channels are the stage's input channels. A transposed-conv filter is [k, k, out, in]; a
    // stride-1 stage is stored as the equivalent "full" convolution's kernel [k, k, in, out] instead.
    const { kernel: k, inChannels: out, outChannels: inp, stride } = l.stage;
    const shape = stride === 1 ? [k, k, inp, out] : [k, k, out, inp];
    params.push({ name: `${l.prefix}.kernel`, shape, init: l.hidden ? hiddenInit : 'glorotUniform', fans: { fanIn: k * k * inp, fanOut: k * k * out } });
    params.push(l.hidden ? { name: `${l.prefix}.bias`, shape: [out], init: 'zeros' } : outputBias(`${l.prefix}.bias`, out));
    if (l.hidden && useBatchNorm) params.push(...batchNormSpecs(`${l.prefix}.norm`, out));
  }

  const finish = (p: Params, l: Layer, y: tf.Tensor4D, ctx: ForwardContext, output: ActivationName): tf.Tensor4D => {
    if (!l.hidden) return activate(output, y);
    const normed = useBatchNorm ? batchNorm(p, `${l.prefix}.norm`, y, ctx) : y;
    return activate(activation, normed);
  };
  const [h, w, c] = ctx.inputShape as [number, number, number];

  return {
    params,
    // 2·k²·in·out FLOPs per output pixel of every encoder stage, and as many for its mirror in the decoder.
    flopsPerRow: 2 * stages.reduce((sum, st) => sum + 2 * st.kernel * st.kernel * st.inChannels * st.outChannels * st.outSize[0] * st.outSize[1], 0),
    encode: (p, x, fctx) => {
      let t = tf.reshape(x, [-1, h, w, c]) as tf.Tensor4D;
      for (const l of encoder) {
        const kernel = p[`${l.prefix}.kernel`] as tf.Tensor4D;
        // The first layer reads the images (no input gradient needed); stride-1 hidden layers take fast-conv's forward-conv gradients.
        const conv = l === encoder[0] ? inputConv2d(t, kernel, l.stage.stride) : l.stage.stride === 1 ? conv2dStride1(t, kernel) : tf.conv2d(t, kernel, l.stage.stride, 'valid');
        const y = tf.add(conv, p[`${l.prefix}.bias`]!) as tf.Tensor4D;
        t = finish(p, l, y, fctx, 'linear');
      }
      return tf.reshape(t, [-1, ctx.latentDim]) as tf.Tensor2D;
    },
    decode: (p, z, fctx) => {
      const n = z.shape[0];
      let t = tf.reshape(z, [n, 1, 1, ctx.latentDim]) as tf.Tensor4D;
      for (const l of decoder) {
        const { inSize, inChannels, stride } = l.stage;
        const kernel = p[`${l.prefix}.kernel`] as tf.Tensor4D;
        // Stride 1: a transposed valid conv is a full conv (fast path; few-channel outputs have their own);
        // strided stages stay transposed convs.
        const full = inChannels <= FEW_CHANNELS ? fullConv2dToFewChannels : fullConv2d;
        const up = stride === 1 ? full(t, kernel) : tf.conv2dTranspose(t, kernel, [n, inSize[0], inSize[1], inChannels], stride, 'valid');
        t = finish(p, l, tf.add(up, p[`${l.prefix}.bias`]!) as tf.Tensor4D, fctx, 'sigmoid');
      }
      return tf.reshape(t, [n, h * w * c]) as tf.Tensor2D;
    },
  };
}

/**
 * The bias of the sigmoid output, started at the logit of each channel's mean value over the training rows
 * (ae-core's meanLogits, one value per channel; the training loop sets it before the first step of a fit and of
 * every retry through `fromData` on the ParamSpec).
 * From zero the first reconstructions are 0.5 grey against MNIST's mean pixel of 0.13; Adam moves a bias
 * only ~learningRate per step, so the network darkened the image by scaling up its weights instead, the
 * codes grew ×200 within the first epoch and the output saturated at 0, where the sigmoid passes no
 * gradient: the fit sat at the blank-image loss for good (conv-ae at d=2 and d=8 with seed 0).
 */
function outputBias(name: string, channels: number): ParamSpec {
  return { name, shape: [channels], init: 'zeros', fromData: (x, rows) => meanLogits(x, rows, channels) };
}
