import * as tf from '@tensorflow/tfjs';
/** Valid stride-1 convolution x [n,h,w,c] * W [k,k,c,o] → [n, h−k+1, w−k+1, o]. */
export declare function conv2dStride1(x: tf.Tensor4D, w: tf.Tensor4D): tf.Tensor4D;
/** Full stride-1 convolution t [n,h,w,c] * W [k,k,c,o] → [n, h+k−1, w+k−1, o]: a transposed valid conv. */
export declare function fullConv2d(t: tf.Tensor4D, w: tf.Tensor4D): tf.Tensor4D;
//# sourceMappingURL=fast-conv.d.ts.map