import type { Matrix } from '@latentkit/core';

/** Why a set of decoded images is not worth showing as it is. */
export type ImageDefect = 'blank' | 'constant' | 'identical' | 'non-finite';

export interface ImageHealth {
  readonly ok: boolean;
  readonly defects: readonly ImageDefect[];
  /** One line for a terminal or a report, e.g. "all 16 images are blank (max pixel 0.004)"; '' when ok. */
  readonly summary: string;
}

/** Pixel spread below which an image reads as one flat grey on [0,1] data (about one 8-bit level). */
const FLAT = 1 / 255;

/**
 * Checks decoded images (one per row, values meant for [0,1]) the way a person would glance at a figure: every
 * image blank (nothing above a faint grey), each image a flat constant, or all images the same picture. A model
 * collapsed to its trivial solution shows exactly these, so a figure of them must be flagged, not drawn silently.
 */
export function imageHealth(images: Matrix): ImageHealth {
  const { rows, cols, data } = images;
  if (rows === 0 || cols === 0) return { ok: false, defects: ['blank'], summary: 'no images to show' };
  let max = -Infinity;
  let flatImages = 0;
  let finite = true;
  for (let i = 0; i < rows; i++) {
    let lo = Infinity, hi = -Infinity;
    for (let j = 0; j < cols; j++) {
      const v = data[i * cols + j]!;
      if (!Number.isFinite(v)) finite = false;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (hi - lo < FLAT) flatImages++;
    if (hi > max) max = hi;
  }
  const defects: ImageDefect[] = [];
  const notes: string[] = [];
  if (!finite) {
    defects.push('non-finite');
    notes.push('some pixels are NaN or infinite');
  }
  if (max < 0.05) {
    defects.push('blank');
    notes.push(`all ${rows} images are blank (max pixel ${max.toFixed(3)})`);
  } else if (flatImages === rows) {
    defects.push('constant');
    notes.push(`each of the ${rows} images is one flat value`);
  }
  if (rows > 1 && !defects.includes('blank') && largestDifferenceFromFirst(images) < FLAT) {
    defects.push('identical');
    notes.push(`all ${rows} images are the same picture`);
  }
  return { ok: defects.length === 0, defects, summary: notes.join('; ') };
}

function largestDifferenceFromFirst({ rows, cols, data }: Matrix): number {
  let m = 0;
  for (let i = 1; i < rows; i++) for (let j = 0; j < cols; j++) m = Math.max(m, Math.abs(data[i * cols + j]! - data[j]!));
  return m;
}
