import type { PluginModule } from './plugin-list.js';
import type { ResolvedImportMap } from './worker-import.js';

/** Messages between the page and the training worker. */
export interface TrainRequest {
  readonly type: 'train';
  readonly kind: string;
  readonly latentDim: number;
  /** The plugin's options as the form gave them (typed from its schema); the worker validates them with the schema. */
  readonly options: Readonly<Record<string, unknown>>;
  readonly seed: number;
  /** Threads to train on: this worker plus `workers − 1` replica workers (reducers that cannot use them train on one). */
  readonly workers: number;
  /** rows × cols pixel bytes (value × 255); the worker scales them to [0, 1]. */
  readonly pixels: Uint8Array;
  readonly rows: number;
  readonly cols: number;
  readonly imageShape: readonly [number, number, number];
  /** A few test points (pixel bytes, previewRows × cols) to reconstruct with the trained model. */
  readonly preview: Uint8Array;
  readonly previewRows: number;
  /** Third-party plugin modules for the worker's registry (the built-ins are bundled in it). */
  readonly plugins: readonly PluginModule[];
  /** The page's import map, absolute: the worker has none, so plugin modules are rewritten with it. */
  readonly importMap: ResolvedImportMap;
}

export interface CancelRequest {
  readonly type: 'cancel';
}

export type ToWorker = TrainRequest | CancelRequest;

export type FromWorker =
  | {
      readonly type: 'progress';
      readonly phase: string;
      readonly fraction?: number;
      readonly epoch?: number;
      readonly epochs?: number;
      readonly loss?: number;
      /** Threads training now (1 until replica workers have started). */
      readonly threads: number;
      /** Said once when the replica workers could not start and the fit went on in one thread. */
      readonly fallback?: string;
    }
  | {
      readonly type: 'done';
      readonly seconds: number;
      /** Threads the fit trained on. */
      readonly threads: number;
      readonly history: readonly { epoch: number; loss: number }[];
      /** Reconstruction MSE on (up to 500) training points; absent when the model cannot reconstruct. */
      readonly trainMse?: number;
      /** previewRows × cols reconstructions of the preview points, values in [0, 1]; absent when the model cannot reconstruct. */
      readonly preview?: Float32Array;
    }
  | { readonly type: 'cancelled' }
  | { readonly type: 'error'; readonly message: string; readonly code?: string };
