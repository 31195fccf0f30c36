import * as tf from '@tensorflow/tfjs';
import { dense, denseSpecs, mapTensorBatches, ParamStore, setupBackend } from '@latentkit/ae-core';
import { createRng, LatentkitError, selectRows, type Dataset, type Matrix } from '@latentkit/core';

/** How the sample-quality classifier is trained: small and quick (it only has to tell digits apart). */
export interface ClassifierSettings {
  readonly hidden?: number;
  readonly epochs?: number;
  readonly batchSize?: number;
  readonly learningRate?: number;
  readonly seed?: number;
}

/** A classifier trained here on the training images: p(class | image) for any rows. */
export interface ImageClassifier {
  readonly classes: number;
  /** Softmax probabilities, rows × classes. */
  predict(x: Matrix): Promise<Matrix>;
  /** Fraction of the rows whose most probable class is their label. */
  accuracy(data: Dataset): Promise<number>;
  dispose(): void;
}

/**
 * A one-hidden-layer ReLU network (softmax output, cross-entropy, Adam, seeded init and shuffles) trained on
 * labelled images. It judges generated images by how sure it is of their class, so it is trained apart
 * from every model it judges and only on the training split.
 */
export async function trainImageClassifier(train: Dataset, settings: ClassifierSettings = {}): Promise<ImageClassifier> {
  const { hidden = 128, epochs = 4, batchSize = 128, learningRate = 2e-3, seed = 0 } = settings;
  const labels = train.labels;
  if (!labels) throw new LatentkitError('E_INPUT_VALUE', `the sample-quality classifier needs labels, and dataset "${train.name}" has none`);
  const classes = labels.reduce((m, l) => Math.max(m, l), 0) + 1;
  if (classes < 2) throw new LatentkitError('E_INPUT_VALUE', `the sample-quality classifier needs at least 2 classes in dataset "${train.name}"`);
  await setupBackend('wasm');
  const D = train.x.cols;
  const rng = createRng(seed);
  const store = ParamStore.initialise([...denseSpecs('hidden', D, hidden, 'heNormal'), ...denseSpecs('out', hidden, classes, 'glorotUniform')], rng.fork());
  const logits = (x: tf.Tensor2D) => dense(store.vars, 'out', tf.relu(dense(store.vars, 'hidden', x)));
  const optimizer = tf.train.adam(learningRate);
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      const order = rng.permutation(train.x.rows);
      for (let start = 0; start < order.length; start += batchSize) {
        const rows = order.subarray(start, start + batchSize);
        tf.tidy(() => {
          const xb = tf.tensor2d(selectRows(train.x, rows).data, [rows.length, D]);
          const yb = tf.oneHot(tf.tensor1d(Array.from(rows, (r) => labels[r]!), 'int32'), classes);
          optimizer.minimize(() => tf.losses.softmaxCrossEntropy(yb, logits(xb)) as tf.Scalar, false, store.trainable);
        });
      }
    }
  } finally {
    optimizer.dispose();
  }
  const predict = (x: Matrix): Promise<Matrix> => {
    if (x.cols !== D) throw new LatentkitError('E_SHAPE', `the sample-quality classifier takes rows of ${D} values, got ${x.cols}`);
    return mapTensorBatches(x, classes, (b) => tf.softmax(logits(b)));
  };
  return {
    classes,
    predict,
    accuracy: async (data) => {
      if (!data.labels) throw new LatentkitError('E_INPUT_VALUE', `classifier accuracy needs labels, and dataset "${data.name}" has none`);
      const p = await predict(data.x);
      let right = 0;
      for (let i = 0; i < p.rows; i++) if (argmax(p.data.subarray(i * classes, (i + 1) * classes)) === data.labels![i]) right++;
      return right / p.rows;
    },
    dispose: () => store.dispose(),
  };
}

export function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
  return best;
}
