import * as tf from '@tensorflow/tfjs';
import { mapRowBatches, type Matrix } from '@latentkit/core';

/** Rows per forward pass at inference: large enough to be fast, small enough for 60k-row inputs. */
export const INFERENCE_BATCH_SIZE = 512;

/** Applies a row-wise tensor function batch by batch; each batch's tensors are freed before the next. */
export function mapTensorBatches(
  x: Matrix,
  outCols: number,
  fn: (batch: tf.Tensor2D) => tf.Tensor2D,
  batchSize = INFERENCE_BATCH_SIZE,
): Promise<Matrix> {
  return mapRowBatches(x, batchSize, outCols, (batch) => {
    const out = tf.tidy(() => fn(tf.tensor2d(batch.data, [batch.rows, batch.cols])));
    const data = out.dataSync() as Float32Array;
    const cols = out.shape[1];
    out.dispose();
    return { data, rows: batch.rows, cols };
  });
}
