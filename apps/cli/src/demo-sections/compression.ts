import { compressionSection, type RdRow } from '@latentkit/compress';
import { brotliCoder } from '@latentkit/compress/node';
import { canReconstruct, sliceRows, type Matrix } from '@latentkit/core';
import type { RunModelAnalysis } from '@latentkit/run/node';
import { htmlTable, inlineSvg, type ReportSection } from '../report.js';

/** Training rows the quantiser's per-dimension ranges are taken from. */
const RANGE_ROWS = 2000;

/**
 * The report's compression section for the demo's own models (every one that encodes and decodes, at each
 * of its d): codes quantised to b ∈ {4, 6, 8} bits and entropy-coded, against PNG and gzip of the same digits.
 * The full sweep over d and reducers is `latentkit rd`.
 */
export async function compressionReport(analyses: readonly RunModelAnalysis[], train: Matrix, test: Matrix, imageShape: readonly [number, number, number]): Promise<{ section: ReportSection; svg: string; markdown: string; rows: RdRow[] } | undefined> {
  const rangeRows = Math.min(train.rows, RANGE_ROWS);
  // The analysis already encoded these rows: its codes are reused rather than computed again.
  const models = analyses
    .filter((a) => canReconstruct(a.reducer))
    .map((a) => ({
      name: `${a.displayName} d=${a.reducer.latentDim}`,
      reducer: a.reducer,
      ...(a.trainCodes && a.testCodes ? { codes: { train: sliceRows(a.trainCodes, 0, rangeRows), test: a.testCodes } } : {}),
    }));
  if (models.length === 0) return undefined;
  // The quantiser's ranges come from the training codes: 2,000 rows pin them down as well as all would.
  const s = await compressionSection(models, sliceRows(train, 0, rangeRows), test, { imageShape, coder: brotliCoder });
  return {
    svg: s.svg,
    markdown: s.markdown,
    rows: s.result.rows,
    section: {
      id: 'compression',
      heading: 'Compression',
      body:
        `<p>An autoencoder is a lossy codec: f(x) quantised is the compressed file, g decodes it. Bits per image include each file's header (the quantiser's ranges). The sweep over d ∈ {2, 4, 8, 16, 32} and reducers is <code>latentkit rd</code>.</p>` +
        inlineSvg(s.svg, s.caption) +
        htmlTable(s.header, s.rows),
    },
  };
}
