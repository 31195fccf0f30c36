import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { setupBackend } from './backend.js';
import { meanSquaredError } from './mean-squared-error.js';

const bits = (t: tf.Tensor) => Array.from(new Uint32Array(Float32Array.from(t.dataSync()).buffer));

describe.each(['wasm', 'cpu'] as const)('meanSquaredError on %s', (backend) => {
  it('gives tfjs’s mean(squaredDifference) value and gradient bit for bit, and keeps no tensor', async () => {
    await setupBackend(backend);
    const before = tf.memory().numTensors;
    // Odd sizes, values of mixed sign and scale, so rounding differs between any two orders of operations.
    const p = tf.tidy(() => tf.variable(tf.tensor2d(Float32Array.from({ length: 7 * 13 }, (_, i) => Math.sin(i * 1.7) * (1 + (i % 5))), [7, 13])));
    const t = tf.tensor2d(Float32Array.from({ length: 7 * 13 }, (_, i) => Math.cos(i * 0.3)), [7, 13]);
    // A loss on top (×3.5 then squared), so the gradient reaching the MSE is not 1.
    const ours = tf.variableGrads(() => tf.square(tf.mul(meanSquaredError(p, t), 3.5)) as tf.Scalar, [p]);
    const theirs = tf.variableGrads(() => tf.square(tf.mul(tf.mean(tf.squaredDifference(p, t)), 3.5)) as tf.Scalar, [p]);
    expect(bits(ours.value)).toEqual(bits(theirs.value));
    expect(bits(ours.grads[p.name]!)).toEqual(bits(theirs.grads[p.name]!));
    // An independent reference: d/dp (3.5·mean((p−t)²))² = 2·(3.5·m)·3.5·2(p−t)/N.
    const [pv, tv] = [Array.from(p.dataSync()), Array.from(t.dataSync())];
    const m = pv.reduce((sum, v, i) => sum + (v - tv[i]!) ** 2, 0) / pv.length;
    const g = ours.grads[p.name]!.dataSync();
    pv.forEach((v, i) => expect(g[i]).toBeCloseTo((2 * 3.5 * m * 3.5 * 2 * (v - tv[i]!)) / pv.length, 4));
    tf.dispose([ours.value, theirs.value, ...Object.values(ours.grads), ...Object.values(theirs.grads), p, t]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
