import type { Capability } from '@latentkit/core';

/** The capability sets a reducer can have, one correct toy plugin each. */
export const CAPABILITY_SETS: Readonly<Record<string, readonly Capability[]>> = {
  'encode only (UMAP-like)': ['encode'],
  'encode and decode (PCA-like)': ['encode', 'decode'],
  'fit-transform only (t-SNE-like)': ['fit-transform'],
  'encode-distribution, sample and likelihood-bound (VAE-like)': ['encode', 'decode', 'encode-distribution', 'sample', 'likelihood-bound'],
  'partial fit (incremental PCA-like)': ['encode', 'decode', 'partial-fit'],
  'streamed fit (out-of-core PCA-like)': ['encode', 'decode', 'fit-stream'],
};
