/**
 * Typed errors with stable codes. Apps print `message` as one line and may branch on `code`;
 * codes never change meaning once published.
 */
export type ErrorCode =
  | 'E_INPUT_FORMAT' // a file or buffer is not what it claims to be (magic, dtype, truncation, ragged CSV)
  | 'E_INPUT_VALUE' // NaN, Inf or out-of-range values
  | 'E_SHAPE' // shapes that disagree (rows/cols, image size vs the model's input)
  | 'E_EMPTY' // an empty dataset
  | 'E_OPTION' // an invalid reducer or command option
  | 'E_UNKNOWN_REDUCER'
  | 'E_UNKNOWN_DATA'
  | 'E_PLUGIN' // a plugin that cannot be loaded or does not satisfy the spec
  | 'E_PLUGIN_SPEC' // a plugin written against an incompatible spec version
  | 'E_BUNDLE_VERSION' // a bundle written by another, incompatible format version
  | 'E_BUNDLE_CORRUPT' // a bundle with missing or damaged parts
  | 'E_NOT_FITTED'
  | 'E_UNSUPPORTED' // the reducer lacks the capability an operation needs
  | 'E_DIVERGED' // training diverged (non-finite loss, weights or codes; exploding codes) or collapsed to the trivial solution, after its retries
  | 'E_ABORTED'
  | 'E_IO'
  | 'E_BACKEND';

export class LatentkitError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LatentkitError';
    this.code = code;
  }
}

export function isLatentkitError(e: unknown): e is LatentkitError {
  return e instanceof Error && typeof (e as { code?: unknown }).code === 'string' && (e as Error).name === 'LatentkitError';
}

/** Throws E_ABORTED when the signal has fired; call between units of work. */
export function throwIfAborted(signal: AbortSignal | undefined, what = 'operation'): void {
  if (signal?.aborted) throw new LatentkitError('E_ABORTED', `${what} was cancelled`);
}
