import { LatentkitError, type Matrix } from '@latentkit/core';
import { argmax } from './classifier.js';

/** How a classifier trained on real digits sees a set of images. */
export interface ClassifierVerdict {
  /** Mean over images of the largest class probability: near 1 when each image clearly shows some digit. */
  readonly meanConfidence: number;
  /** Entropy (bits) of the histogram of predicted classes: log2(classes) when every class is drawn equally often. */
  readonly classEntropyBits: number;
  /** Images per predicted class. */
  readonly classCounts: readonly number[];
}

/**
 * Quality and diversity of generated images from class probabilities (rows × classes), as in the Inception
 * score's two halves: confident predictions mean recognisable images, an even class histogram means the
 * generator does not draw one digit only. Neither alone suffices: one sharp "1" repeated scores 1 and 0 bits.
 */
export function classifierVerdict(probabilities: Matrix): ClassifierVerdict {
  const { rows, cols } = probabilities;
  if (rows === 0) throw new LatentkitError('E_EMPTY', 'no images to judge');
  const counts = new Array<number>(cols).fill(0);
  let confidence = 0;
  for (let i = 0; i < rows; i++) {
    const p = probabilities.data.subarray(i * cols, (i + 1) * cols);
    const k = argmax(p);
    confidence += p[k]!;
    counts[k]!++;
  }
  let entropy = 0;
  for (const c of counts) if (c > 0) entropy -= (c / rows) * Math.log2(c / rows);
  return { meanConfidence: confidence / rows, classEntropyBits: entropy, classCounts: counts };
}
