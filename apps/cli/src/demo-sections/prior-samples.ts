import { compareSamples, type SampleQualityRow } from '@latentkit/vae/compare';
import { canReconstruct, hasCapability, type Dataset } from '@latentkit/core';
import type { RunModelAnalysis } from '@latentkit/run/node';
import { pngDataUri } from '@latentkit/viz';
import { esc, figure, htmlTable, type ReportSection } from '../report.js';

/**
 * The lecture's open question — which latent density? — answered the VAE's way, measured: samples from the
 * prior of a model that samples (capability "sample") against decoded draws from a Gaussian fitted to a
 * plain autoencoder's codes (the last model at the same d that encodes and decodes but does not sample).
 */
export async function priorSamplesReport(analyses: readonly RunModelAnalysis[], train: Dataset, test: Dataset, seed: number, judged = 1000): Promise<{ section: ReportSection; png: Uint8Array; rows: readonly SampleQualityRow[]; testElbo?: number } | undefined> {
  const sampler = analyses.find((a) => hasCapability(a.reducer, 'sample') && canReconstruct(a.reducer));
  if (!sampler || !train.labels || !test.labels) return undefined;
  const plain = analyses.filter((a) => a.reducer.latentDim === sampler.reducer.latentDim && canReconstruct(a.reducer) && !hasCapability(a.reducer, 'sample')).at(-1);
  if (!plain) return undefined;
  const names = { vae: sampler.displayName, autoencoder: plain.displayName };
  // The analysis already fitted the plain model's Gaussian to its training codes: the comparison reuses it.
  const gaussian = plain.densities?.gaussian;
  const comparison = await compareSamples({ vae: sampler.reducer, autoencoder: plain.reducer, train, test, names, seed, judged, ...(gaussian ? { autoencoderGaussian: gaussian } : {}) });
  const testElbo = await meanBound(sampler, test);
  const table = htmlTable(
    ['samples', 'images judged', 'classifier confidence', 'class entropy (bits)', 'MMD² to test digits'],
    comparison.rows.map((r) => [r.source, r.images, r.meanConfidence, r.classEntropyBits, r.mmdToTest]),
  );
  return {
    png: comparison.png,
    rows: comparison.rows,
    ...(testElbo !== undefined ? { testElbo } : {}),
    section: {
      id: 'prior',
      heading: 'Which latent density? The VAE samples its prior',
      body:
        `<p>A plain autoencoder leaves its codes wherever training put them, so sampling needs a density fitted afterwards — and we don't know the right one. A VAE trains its encoder towards a fixed prior N(0, I) (the ELBO's KL term), so samples come from that prior directly. Both are judged on ${esc(comparison.rows[0]?.images ?? 0)} samples: the confidence of a small classifier trained here on the training digits (its accuracy on held-out test digits: ${esc(comparison.classifierTestAccuracy.toFixed(3))}), the entropy of its predicted classes (log₂ 10 ≈ 3.32 when every digit appears equally often), and a kernel two-sample distance (MMD², pixel Gaussian kernel) to test digits; real test digits are the reference row.${testElbo !== undefined ? ` ${esc(sampler.displayName)}'s test ELBO: ${esc(testElbo.toFixed(1))} nats per image (a lower bound on log p(x)).` : ''}</p>` +
        table +
        figure(pngDataUri(comparison.png), `${names.vae}: samples from its prior N(0, I) (top); ${names.autoencoder}: decoded draws from a Gaussian fitted to its training codes (bottom); each sample over its nearest training image`),
    },
  };
}

/** Mean per-image lower bound on log p(x) over the test rows, for a model with capability "likelihood-bound". */
async function meanBound(a: RunModelAnalysis, test: Dataset): Promise<number | undefined> {
  if (!hasCapability(a.reducer, 'likelihood-bound') || !a.reducer.logLikelihoodBound) return undefined;
  const bound = await a.reducer.logLikelihoodBound(test.x, { seed: 0 });
  let sum = 0;
  for (const v of bound) sum += v;
  return sum / bound.length;
}
