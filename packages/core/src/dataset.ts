import { LatentkitError } from './errors.js';
import { type Matrix, selectRows } from './matrix.js';

/** Image geometry [height, width, channels]; height*width*channels equals the feature count. */
export type ImageShape = readonly [number, number, number];

export interface Dataset {
  readonly name: string;
  /** One sample per row. Images are flattened row-major (h, w, c), values usually in [0, 1]. */
  readonly x: Matrix;
  readonly labels?: Int32Array;
  readonly labelNames?: readonly string[];
  readonly imageShape?: ImageShape;
}

export function createDataset(init: Dataset): Dataset {
  validateDataset(init);
  return init;
}

export function validateDataset(d: Dataset): void {
  if (d.x.rows === 0) throw new LatentkitError('E_EMPTY', `dataset "${d.name}" is empty`);
  if (d.labels && d.labels.length !== d.x.rows) {
    throw new LatentkitError('E_SHAPE', `dataset "${d.name}" has ${d.x.rows} rows but ${d.labels.length} labels`);
  }
  if (d.imageShape) {
    const [h, w, c] = d.imageShape;
    if (h * w * c !== d.x.cols) {
      throw new LatentkitError('E_SHAPE', `dataset "${d.name}" image shape ${h}×${w}×${c} does not match ${d.x.cols} features`);
    }
  }
}

/** A copy of the dataset restricted to the given rows (labels and metadata follow). */
export function subsetDataset(d: Dataset, indices: ArrayLike<number>, name = d.name): Dataset {
  const labels = d.labels ? Int32Array.from(indices, (i) => d.labels![i]!) : undefined;
  return {
    name,
    x: selectRows(d.x, indices),
    ...(labels ? { labels } : {}),
    ...(d.labelNames ? { labelNames: d.labelNames } : {}),
    ...(d.imageShape ? { imageShape: d.imageShape } : {}),
  };
}

/** The input shape a model expects for this dataset: the image shape or [features]. */
export function inputShapeOf(d: Dataset): number[] {
  return d.imageShape ? [...d.imageShape] : [d.x.cols];
}
