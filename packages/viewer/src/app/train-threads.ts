/** More threads than this rarely pay for their copies of the model on a small in-browser fit. */
export const MAX_THREADS = 8;

/** Threads the train panel offers by default: the machine's cores, at most MAX_THREADS. */
export function defaultThreads(cores: number | undefined = globalThis.navigator?.hardwareConcurrency): number {
  return Math.max(1, Math.min(MAX_THREADS, Math.floor(cores ?? 1) || 1));
}
