import { LatentkitError, reconstruct, type Reducer, type RowBatchSource, throwIfAborted, type ProgressListener } from '@latentkit/core';

/** Reconstruction MSE of a model on the train and test rows of a source, and how many rows each had. */
export interface SplitReconstruction {
  readonly train: { readonly n: number; readonly mse: number };
  readonly test: { readonly n: number; readonly mse: number };
}

/** Rows reconstructed per step: small enough that the step's copies stay a few MB for wide rows. */
const EVALUATE_BATCH_ROWS = 8192;

/**
 * One read of the source: g(f(x)) batch by batch (the model's own reconstruct), its squared error summed in
 * float64 per split (mask 1: test). The same figure core's mse gives on the whole split, without holding it.
 */
export async function reconstructionBySplit(
  model: Reducer,
  source: RowBatchSource,
  mask: Uint8Array,
  control: { readonly signal?: AbortSignal; readonly onProgress?: ProgressListener } = {},
): Promise<SplitReconstruction> {
  const sums = [0, 0], counts = [0, 0];
  const D = source.cols;
  for await (const batch of source.batches({ batchRows: EVALUATE_BATCH_ROWS, ...(control.signal ? { signal: control.signal } : {}) })) {
    throwIfAborted(control.signal, 'evaluation');
    const { x, offset } = batch;
    if (offset + x.rows > mask.length) throw new LatentkitError('E_INPUT_FORMAT', `${source.name} gave more rows than the ${mask.length} its header declares`);
    const back = await reconstruct(model, x);
    for (let r = 0; r < x.rows; r++) {
      let s = 0;
      for (let j = r * D; j < (r + 1) * D; j++) {
        const d = x.data[j]! - back.data[j]!;
        s += d * d;
      }
      const part = mask[offset + r]!;
      sums[part] = sums[part]! + s;
      counts[part] = counts[part]! + 1;
    }
    if (source.rows) control.onProgress?.({ phase: 'evaluate', fraction: (offset + x.rows) / source.rows });
  }
  const mse = (part: number) => (counts[part] === 0 ? 0 : sums[part]! / (counts[part]! * D));
  return { train: { n: counts[0]!, mse: mse(0) }, test: { n: counts[1]!, mse: mse(1) } };
}
