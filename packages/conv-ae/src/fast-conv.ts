import * as tf from '@tensorflow/tfjs';

/*
 * Stride-1 convolutions whose gradients are themselves forward convolutions. On the wasm backend forward
 * conv2d runs fast (@latentkit/tfjs-wasm-train's implicit GEMM from 8 input channels, XNNPACK below), and
 * the 5×5 stride-1 layers dominate conv-ae training time. With flip(W) = W rotated 180° with in/out channels swapped:
 *   valid:  y = corr(x, W)            dx = corr(pad(dy, k−1), flip(W))   dW = batchCorr(x, dy)
 *   full:   y = corr(pad(t, k−1), W)  dt = corr(dy, flip(W))             dW = batchCorr(pad(t, k−1), dy)
 * "full" is the transposed convolution of a stride-1 valid one (the decoder's mirror layers). The padding is
 * passed to the kernels as explicit padding, never materialised as a padded batch.
 */

function flip(w: tf.Tensor4D): tf.Tensor4D {
  return tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2]);
}

type Border = [[number, number], [number, number], [number, number], [number, number]];

/** The explicit NHWC padding of a full convolution: k − 1 zeros on every side of the image. */
function fullBorder(kh: number, kw: number): Border {
  return [[0, 0], [kh - 1, kh - 1], [kw - 1, kw - 1], [0, 0]];
}

/**
 * dW[i, j, c, o] = Σ_{n,h,w} xPadded[n, h+i, w+j, c] · dy[n, h, w, o], xPadded = x with `border` of zeros. On
 * wasm this is the stride-1 Conv2DBackpropFilter, which @latentkit/tfjs-wasm-train runs as shifted GEMMs (the
 * padding copied per image, never as a padded batch); elsewhere, one convolution over the batch axis.
 */
function batchCorrelation(x: tf.Tensor4D, dy: tf.Tensor4D, border: Border | 'valid'): tf.Tensor4D {
  const [padH, padW] = border === 'valid' ? [0, 0] : [border[1][0] + border[1][1], border[2][0] + border[2][1]];
  const filterShape = [x.shape[1] + padH - dy.shape[1] + 1, x.shape[2] + padW - dy.shape[2] + 1, x.shape[3], dy.shape[3]];
  if (tf.getBackend() === 'wasm' && tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')) {
    return tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, { strides: 1, pad: border, dataFormat: 'NHWC', filterShape }) as tf.Tensor4D;
  }
  const padded = border === 'valid' ? x : tf.pad(x, border);
  const xT = tf.transpose(padded, [3, 1, 2, 0]);
  const dyT = tf.transpose(dy, [1, 2, 0, 3]);
  return tf.transpose(tf.conv2d(xT, dyT, 1, 'valid'), [1, 2, 0, 3]);
}

const validConv = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, w, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
  save([x, w]);
  return {
    value: tf.conv2d(x, w, 1, 'valid'),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]): tf.Tensor[] => {
      const g = dy as tf.Tensor4D;
      const [sx, sw] = saved as [tf.Tensor4D, tf.Tensor4D];
      return [tf.conv2d(g, flip(sw), 1, fullBorder(sw.shape[0], sw.shape[1])), batchCorrelation(sx, g, 'valid')];
    },
  };
});

const fullConv = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [t, w, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
  const border = fullBorder(w.shape[0], w.shape[1]);
  save([t, w]);
  return {
    // Explicit padding: the conv kernels pad each image as they read it, no padded copy of the batch.
    value: tf.conv2d(t, w, 1, border),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]): tf.Tensor[] => {
      const g = dy as tf.Tensor4D;
      const [st, sw] = saved as [tf.Tensor4D, tf.Tensor4D];
      return [tf.conv2d(g, flip(sw), 1, 'valid'), batchCorrelation(st, g, fullBorder(sw.shape[0], sw.shape[1]))];
    },
  };
});

/** Valid stride-1 convolution x [n,h,w,c] * W [k,k,c,o] → [n, h−k+1, w−k+1, o]. */
export function conv2dStride1(x: tf.Tensor4D, w: tf.Tensor4D): tf.Tensor4D {
  return validConv(x, w) as tf.Tensor4D;
}

/** Full stride-1 convolution t [n,h,w,c] * W [k,k,c,o] → [n, h+k−1, w+k−1, o]: a transposed valid conv. */
export function fullConv2d(t: tf.Tensor4D, w: tf.Tensor4D): tf.Tensor4D {
  return fullConv(t, w) as tf.Tensor4D;
}
