import { join } from 'node:path';
import type { Dataset, Matrix } from '@latentkit/core';
import { writeFileAtomic } from '@latentkit/node-fs';

/** Values in [0, 1] as bytes ×255 (clipped): the points as the viewer shows them. */
function toUint8(x: Matrix): Uint8Array {
  const out = new Uint8Array(x.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(Math.min(1, Math.max(0, x.data[i]!)) * 255);
  return out;
}

export function bytesOf(a: Float32Array | Int32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** points/: the samples the viewer shows, train then test, with labels and a split flag. */
export async function writePoints(dir: string, train: Dataset, test: Dataset): Promise<void> {
  await writeFileAtomic(join(dir, 'points', 'images.bin'), concatBytes(toUint8(train.x), toUint8(test.x)));
  if (train.labels && test.labels) {
    const labels = new Int32Array(train.labels.length + test.labels.length);
    labels.set(train.labels);
    labels.set(test.labels, train.labels.length);
    await writeFileAtomic(join(dir, 'points', 'labels.bin'), bytesOf(labels));
  }
  const split = new Uint8Array(train.x.rows + test.x.rows);
  split.fill(1, train.x.rows);
  await writeFileAtomic(join(dir, 'points', 'split.bin'), split);
  // A table's id column (see @latentkit/data's collectDataset) rides on the datasets as `ids`.
  const ids = (d: Dataset) => (d as Dataset & { ids?: readonly string[] }).ids;
  const trainIds = ids(train);
  const testIds = ids(test);
  if (trainIds && testIds) await writeFileAtomic(join(dir, 'points', 'ids.json'), JSON.stringify([...trainIds, ...testIds]) + '\n');
}
