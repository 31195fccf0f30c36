import * as tf from '@tensorflow/tfjs';

/*
 * The layers at the image end of the network, where one side of the convolution has a single channel
 * (MNIST's grey pixels). XNNPACK runs a one-output-channel convolution at ~1 GFLOP/s, a tenth of its speed
 * on the 16-channel layers, and conv-ae's batchCorrelation dW of such a layer has the same problem.
 * tfjs-wasm-train's JS im2col + matMul kernels handle these shapes 2–4× faster (kernels.bench.mjs), so
 * here the image-end layers go through tfjs's own ops and autodiff, which also computes each input
 * gradient lazily: only when something upstream needs it.
 */

/** Output channel counts up to which fullConv2dToFewChannels beats fast-conv's fullConv2d. */
export const FEW_CHANNELS = 1;

/**
 * The encoder's first convolution (valid, stride s) of the input images. A plain tf.conv2d: its gradient
 * with respect to the images is never computed (they are data), unlike a customGrad that returns both
 * gradients eagerly, and its dW (Conv2DBackpropFilter with few input channels) beats batchCorrelation.
 */
export function inputConv2d(x: tf.Tensor4D, w: tf.Tensor4D, stride: number): tf.Tensor4D {
  return tf.conv2d(x, w, stride, 'valid');
}

/**
 * Full stride-1 convolution t [n,h,w,c] * W [k,k,c,o] → [n, h+k−1, w+k−1, o] (the same map as
 * fast-conv's fullConv2d, same kernel layout), as tf.conv2dTranspose of W rotated 180° with in/out
 * swapped. For few output channels its forward (matMul + col2im), dt (a conv with c outputs) and dW
 * (Conv2DBackpropFilter over the o-channel gradient) each beat the padded one-output-channel XNNPACK conv.
 */
export function fullConv2dToFewChannels(t: tf.Tensor4D, w: tf.Tensor4D): tf.Tensor4D {
  const [n, h, wd] = t.shape;
  const [kh, kw, , o] = w.shape;
  const filter = tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
  return tf.conv2dTranspose(t, filter, [n, h + kh - 1, wd + kw - 1, o], 1, 'valid');
}
