/** Messages between the page and the training worker. */
export interface TrainRequest {
  readonly type: 'train';
  readonly kind: string;
  readonly latentDim: number;
  readonly epochs: number;
  readonly seed: number;
  /** rows × cols pixel bytes (value × 255); the worker scales them to [0, 1]. */
  readonly pixels: Uint8Array;
  readonly rows: number;
  readonly cols: number;
  readonly imageShape: readonly [number, number, number];
  /** A few test points (pixel bytes, previewRows × cols) to reconstruct with the trained model. */
  readonly preview: Uint8Array;
  readonly previewRows: number;
}

export interface CancelRequest {
  readonly type: 'cancel';
}

export type ToWorker = TrainRequest | CancelRequest;

export type FromWorker =
  | { readonly type: 'progress'; readonly phase: string; readonly fraction?: number; readonly epoch?: number; readonly epochs?: number; readonly loss?: number }
  | {
      readonly type: 'done';
      readonly seconds: number;
      readonly trainMse: number;
      readonly history: readonly { epoch: number; loss: number }[];
      /** previewRows × cols reconstructions of the preview points, values in [0, 1]. */
      readonly preview: Float32Array;
    }
  | { readonly type: 'cancelled' }
  | { readonly type: 'error'; readonly message: string; readonly code?: string };
