import * as tf from '@tensorflow/tfjs';

/*
 * Stride-1 convolutions whose gradients are themselves forward convolutions. On the wasm backend forward
 * conv2d runs fast (@latentkit/tfjs-wasm-train's implicit GEMM from 8 input channels, XNNPACK below), and
 * the 5×5 stride-1 layers dominate conv-ae training time. With flip(W) = W rotated 180° with in/out channels swapped:
 *   valid:  y = corr(x, W)            dx = corr(pad(dy, k−1), flip(W))   dW = batchCorr(x, dy)
 *   full:   y = corr(pad(t, k−1), W)  dt = corr(dy, flip(W))             dW = batchCorr(pad(t, k−1), dy)
 * "full" is the transposed convolution of a stride-1 valid one (the decoder's mirror layers), written
 * so that no work is spent on the padding border.
 */

function flip(w: tf.Tensor4D): tf.Tensor4D {
  return tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2]);
}

function padBorder(x: tf.Tensor4D, kh: number, kw: number): tf.Tensor4D {
  return tf.pad(x, [[0, 0], [kh - 1, kh - 1], [kw - 1, kw - 1], [0, 0]]);
}

/**
 * dW[i, j, c, o] = Σ_{n,h,w} x[n, h+i, w+j, c] · dy[n, h, w, o]. On wasm this is the valid stride-1
 * Conv2DBackpropFilter, which @latentkit/tfjs-wasm-train runs as shifted GEMMs (23–26 GFLOP/s at 32 channels,
 * 2.5× the convolution below); elsewhere, one convolution over the batch axis.
 */
function batchCorrelation(x: tf.Tensor4D, dy: tf.Tensor4D): tf.Tensor4D {
  if (tf.getBackend() === 'wasm' && tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')) {
    const filterShape = [x.shape[1] - dy.shape[1] + 1, x.shape[2] - dy.shape[2] + 1, x.shape[3], dy.shape[3]];
    return tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape }) as tf.Tensor4D;
  }
  const xT = tf.transpose(x, [3, 1, 2, 0]);
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
      return [tf.conv2d(padBorder(g, sw.shape[0], sw.shape[1]), flip(sw), 1, 'valid'), batchCorrelation(sx, g)];
    },
  };
});

const fullConv = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [t, w, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
  const padded = padBorder(t, w.shape[0], w.shape[1]);
  save([padded, w]);
  return {
    value: tf.conv2d(padded, w, 1, 'valid'),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]): tf.Tensor[] => {
      const g = dy as tf.Tensor4D;
      const [sp, sw] = saved as [tf.Tensor4D, tf.Tensor4D];
      return [tf.conv2d(g, flip(sw), 1, 'valid'), batchCorrelation(sp, g)];
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
