import { basename, join } from 'node:path';
import { LatentkitError, throwIfAborted, type Dataset } from '@latentkit/core';
import { FASHION_MNIST_FILES, FASHION_MNIST_LABELS } from '../fashion.js';
import { idxToDataset } from '../idx.js';
import { loadStep, type LoadControl } from './control.js';
import { readIdx } from './idx-file.js';
import { isFile } from './read.js';

export const DEFAULT_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** Fashion-MNIST's official split (60,000 train / 10,000 test) from IDX files, gzipped or not. */
export async function loadFashionMnist(options: { dataDir?: string; maxBytes?: number } & LoadControl = {}): Promise<{ train: Dataset; test: Dataset }> {
  const dir = options.dataDir ?? DEFAULT_FASHION_MNIST_DIR;
  loadStep(options, 0, `Fashion-MNIST from ${dir}`);
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(
    [FASHION_MNIST_FILES.trainImages, FASHION_MNIST_FILES.trainLabels, FASHION_MNIST_FILES.testImages, FASHION_MNIST_FILES.testLabels].map(
      (name) => findFile(dir, name),
    ),
  );
  // All four files inflate concurrently on zlib's thread pool; whichever split arrives first is
  // scaled to float32 on the main thread while the other is still inflating.
  let done = 0;
  const load = async (imagesPath: string, labelsPath: string): Promise<Dataset> => {
    const limits = { maxBytes: options.maxBytes };
    const [images, labels] = await Promise.all([readIdx(imagesPath, limits), readIdx(labelsPath, limits)]);
    throwIfAborted(options.signal, 'data loading');
    const d: Dataset = { ...idxToDataset(images, labels, 'fashion-mnist'), labelNames: FASHION_MNIST_LABELS };
    loadStep(options, ++done / 2, `Fashion-MNIST ${basename(imagesPath)} decoded`);
    return d;
  };
  const [train, test] = await Promise.all([load(trainImages, trainLabels), load(testImages, testLabels)]);
  return { train, test };
}

async function findFile(dir: string, name: string): Promise<string> {
  for (const candidate of [join(dir, `${name}.gz`), join(dir, name)]) {
    if (await isFile(candidate)) return candidate;
  }
  throw new LatentkitError(
    'E_IO',
    `Fashion-MNIST not found in ${dir}: install the Debian package dataset-fashion-mnist (apt-get install dataset-fashion-mnist) or pass --data-dir (missing ${name}.gz)`,
  );
}
