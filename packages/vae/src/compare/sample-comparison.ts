import { encodeWith, LatentkitError, requireCapability, selectRows, sliceRows, type Dataset, type Matrix, type Reducer } from '@latentkit/core';
import { fitGaussian, nearestNeighbours, sampleDecoded, type LatentDensity } from '@latentkit/latent';
import { imageGridPng, type GridRow } from '@latentkit/viz';
import { trainImageClassifier, type ImageClassifier } from './classifier.js';
import { medianBandwidth, mmdSquared } from './mmd.js';
import { classifierVerdict } from './quality.js';

export interface SampleComparisonInput {
  /** A model that samples from its own prior (capability "sample"): the VAE. */
  readonly vae: Reducer;
  /** A plain autoencoder (encode and decode): its training codes get a full-covariance Gaussian to sample from. */
  readonly autoencoder: Reducer;
  /** Training images with labels: the autoencoder's codes, the classifier's data and the nearest-image pool. */
  readonly train: Dataset;
  /** Test images with labels: the real digits the samples are measured against. */
  readonly test: Dataset;
  /** Names in the figure and table (default: each model's kind). */
  readonly names?: { readonly vae?: string; readonly autoencoder?: string };
  /** Samples drawn per model and judged (default 1000); the figure shows the first `shown` (default 10). */
  readonly judged?: number;
  readonly shown?: number;
  readonly seed?: number;
  /** A classifier to judge with (default: one trained here on `train` and disposed after). */
  readonly classifier?: ImageClassifier;
  /** The autoencoder's Gaussian, when the caller fitted it already to the codes of `train` (default: fitted here). */
  readonly autoencoderGaussian?: LatentDensity;
}

/** One row of the sample-quality table. */
export interface SampleQualityRow {
  readonly source: string;
  readonly images: number;
  /** Mean max-softmax probability of the classifier (higher = more recognisable digits). */
  readonly meanConfidence: number;
  /** Entropy of the predicted-class histogram in bits (log2 10 ≈ 3.32 = every digit equally often). */
  readonly classEntropyBits: number;
  /** Unbiased MMD² to held-out test digits under a pixel Gaussian kernel (0 = indistinguishable; lower is better). */
  readonly mmdToTest: number;
}

export interface SampleComparison {
  /** Each model's samples over their nearest training images. */
  readonly png: Uint8Array;
  /** The VAE's prior samples, the autoencoder's Gaussian samples, and real test digits as the reference. */
  readonly rows: readonly SampleQualityRow[];
  /** The judging classifier's accuracy on the test digits it did not judge (how far to trust its confidence). */
  readonly classifierTestAccuracy: number;
}

/** Rows of each set the (quadratic) MMD uses. */
const MMD_ROWS = 500;

/**
 * The lecture's point, measured: sampling a VAE's prior N(0, I) against decoding draws from a Gaussian fitted
 * to a plain autoencoder's codes ("we don't know the right latent space density"). The test digits are split in
 * two: the first half is what MMD compares with, the second half is scored as real digits for reference.
 */
export async function compareSamples(input: SampleComparisonInput): Promise<SampleComparison> {
  const { vae, autoencoder, train, test } = input;
  const judged = input.judged ?? 1000;
  const shown = input.shown ?? 10;
  const seed = input.seed ?? 0;
  requireCapability(vae, 'sample', 'prior samples');
  requireCapability(autoencoder, 'encode', 'the autoencoder + Gaussian samples');
  requireCapability(autoencoder, 'decode', 'the autoencoder + Gaussian samples');
  if (!Number.isInteger(judged) || judged < 2) throw new LatentkitError('E_OPTION', `judged must be an integer ≥ 2, got ${judged}`);
  if (!Number.isInteger(shown) || shown < 1 || shown > judged) throw new LatentkitError('E_OPTION', `shown must be an integer in [1, judged = ${judged}], got ${shown}`);
  if (test.x.rows < 4) throw new LatentkitError('E_EMPTY', `the sample comparison needs at least 4 test images, got ${test.x.rows}`);
  const names = { vae: input.names?.vae ?? vae.kind, autoencoder: input.names?.autoencoder ?? autoencoder.kind };

  const vaeImages = await vae.sample!(judged, { seed });
  const gaussian = input.autoencoderGaussian ?? fitGaussian(await encodeWith(autoencoder, train.x, 'the autoencoder + Gaussian samples'), { covariance: 'full' });
  const aeImages = (await sampleDecoded(autoencoder, gaussian, judged, seed)).images;

  const half = Math.floor(test.x.rows / 2);
  const reference = sliceRows(test.x, 0, Math.min(half, MMD_ROWS));
  const real: Dataset = { ...test, x: sliceRows(test.x, half, Math.min(test.x.rows, half + judged)), ...(test.labels ? { labels: test.labels.subarray(half, half + judged) } : {}) };
  const kernel = medianBandwidth(reference);
  const classifier = input.classifier ?? (await trainImageClassifier(train, { seed }));
  try {
    const row = async (source: string, images: Matrix): Promise<SampleQualityRow> => {
      const verdict = classifierVerdict(await classifier.predict(images));
      const mmdToTest = mmdSquared(sliceRows(images, 0, Math.min(images.rows, MMD_ROWS)), reference, kernel);
      return { source, images: images.rows, meanConfidence: verdict.meanConfidence, classEntropyBits: verdict.classEntropyBits, mmdToTest };
    };
    const rows = [
      await row(`${names.vae} prior N(0, I)`, vaeImages),
      await row(`${names.autoencoder} codes → fitted Gaussian`, aeImages),
      await row('test digits (reference)', real.x),
    ];
    const classifierTestAccuracy = real.labels ? await classifier.accuracy(real) : Number.NaN;
    const png = imageGridPng(
      [...nearestRows(`${names.vae} prior samples`, sliceRows(vaeImages, 0, shown), train.x), ...nearestRows(`${names.autoencoder} + Gaussian`, sliceRows(aeImages, 0, shown), train.x)],
      { imageShape: imageShapeOf(train), title: 'samples from the latent prior, each over its nearest training image' },
    );
    return { png, rows, classifierTestAccuracy };
  } finally {
    if (!input.classifier) classifier.dispose();
  }
}

function nearestRows(label: string, images: Matrix, train: Matrix): GridRow[] {
  const nn = nearestNeighbours(images, train, 1);
  return [
    { label, images },
    { label: 'nearest training image', images: selectRows(train, nn.indices) },
  ];
}

function imageShapeOf(data: Dataset): readonly [number, number, number] {
  const s = data.imageShape;
  if (!s || s.length !== 3) throw new LatentkitError('E_SHAPE', `the sample figure needs image data, and dataset "${data.name}" has no [h, w, c] shape`);
  return [s[0]!, s[1]!, s[2]!];
}
