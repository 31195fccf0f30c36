/** One progress report from long work (fitting, encoding, loading). All fields but `phase` are optional. */
export interface ProgressEvent {
  /** What is happening, e.g. "covariance", "eigensolve", "train", "encode". */
  readonly phase: string;
  /** Completed fraction of the whole job in [0, 1], when known. */
  readonly fraction?: number;
  readonly epoch?: number;
  readonly epochs?: number;
  readonly batch?: number;
  readonly batches?: number;
  readonly loss?: number;
  readonly valLoss?: number;
  readonly samplesPerSecond?: number;
  readonly etaSeconds?: number;
  readonly message?: string;
}

export type ProgressListener = (event: ProgressEvent) => void;
