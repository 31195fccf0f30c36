import { throwIfAborted, type ProgressListener } from '@latentkit/core';

/** Cancellation and progress for the loaders that take seconds (Fashion-MNIST, whole sources). */
export interface LoadControl {
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

/** Checks for cancellation, then reports how far loading got. */
export function loadStep(control: LoadControl, fraction: number, message: string): void {
  throwIfAborted(control.signal, 'data loading');
  control.onProgress?.({ phase: 'load', fraction, message });
}
